"""Vocabularies shared by several apps and by the guidance module schema."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Service(models.TextChoices):
    ADULT_SOCIAL_CARE = "adult_social_care", _("Adult social care")
    CHILDRENS_SOCIAL_CARE = "childrens_social_care", _("Children's social care")
    EDUCATION = "education", _("Education")
    FINANCE = "finance", _("Finance and payments")
    HOUSING = "housing", _("Housing")
    REVENUES_BENEFITS = "revenues_benefits", _("Revenues and benefits")
    CUSTOMER_SERVICES = "customer_services", _("Customer services")
    OTHER = "other", _("Other services")


class Tier(models.TextChoices):
    GOLD = "gold", _("Gold (strategic)")
    SILVER = "silver", _("Silver (tactical)")
    BRONZE = "bronze", _("Bronze (operational)")


class Cell(models.TextChoices):
    ADULT_SOCIAL_CARE = "adult_social_care", _("Adult social care")
    CHILDRENS_SOCIAL_CARE = "childrens_social_care", _("Children's social care")
    IT = "it", _("IT")
    COMMUNICATIONS = "communications", _("Communications")
    DATA_PROTECTION = "data_protection", _("Data protection")
    FINANCE = "finance", _("Finance")


class Stage(models.TextChoices):
    """The LGA cyber incident guidance stages."""

    IDENTIFY = "identify", _("Identifying the incident and first steps")
    RESPOND = "respond", _("Responding")
    BUILD_CONFIDENCE = "build_confidence", _("Building confidence")
    RECOVERY = "recovery", _("Designing the recovery path")


class ContactCategory(models.TextChoices):
    STAFF = "staff", _("Staff")
    PROVIDERS_PARTNERS = "providers_partners", _("Providers and partners")
    VULNERABLE_FAMILIES = "vulnerable_families", _("Vulnerable families")
    COMMUNITY_VOLUNTARY = "community_voluntary", _("Community and voluntary groups")
    SCHOOLS = "schools", _("Schools")
    REGULATORS_GOVERNMENT = "regulators_government", _("Ofsted, DfE and MHCLG")


class Classification(models.TextChoices):
    OFFICIAL = "OFFICIAL", "OFFICIAL"
    OFFICIAL_SENSITIVE = "OFFICIAL-SENSITIVE", "OFFICIAL-SENSITIVE"

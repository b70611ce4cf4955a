"""On the demo: the register is full, the council SPOC shows, stale contacts are flagged, silver
(adult social care) sees the vulnerable families, admin does not, and the DPO reads who did."""

from __future__ import annotations

import pytest

from incident_console.accounts.models import User
from incident_console.incidents.demo import load_demo
from tests import factories


@pytest.mark.django_db
def test_the_demo_register_shows_every_part_of_the_key_contacts(modules: None) -> None:
    load_demo(password="demo-password-for-tests-only")
    admin, silver, dpo = (
        factories.signed_in_client(User.objects.get(username=name)) for name in ("admin", "silver", "dpo")
    )
    page = admin.get("/contacts/").content.decode()
    assert "Ruth Ellison" in page and "Council SPOC" in page and "Needs checking" in page
    assert "Ofsted" in page and "Jean Whitlock" not in page
    assert "Jean Whitlock" in silver.get("/contacts/?category=vulnerable_families").content.decode()
    log = dpo.get("/contacts/access-log/").content.decode()
    assert log.count("Contacts list") >= 3

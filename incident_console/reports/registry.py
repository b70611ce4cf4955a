"""The PDF kinds this app renders (see kinds.py for how another app adds one)."""

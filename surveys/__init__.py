"""Citizen rating capture: kiosk page, signed online links, kiosk devices, criteria, scoring."""

"""VICIdial's names for the lead's own columns, in its list export and in its web form's
variables, and the LeadDesk field each fills: the one list of them, for the file reader
(sources/layouts.py) and the dialer link (app/dialer_link.py). A module of its own, so that
the window's link server does not load the file layouts for it."""

VICIDIAL_FIELDS: dict[str, str] = {
    "first_name": "fname",
    "last_name": "lname",
    "phone_number": "phone1",
    # Another number for the lead, not known to be a cell or a work line.
    "alt_phone": "phone4",
    "address1": "address1",
    "address2": "address2",
    "city": "city",
    "state": "state",
    "postal_code": "zip",
    "email": "email",
    "comments": "lead_comments",
    "vendor_lead_code": "lead_company_unique_id",
}

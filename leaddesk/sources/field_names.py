"""Which SecurityTrax lead field another tool's name for a value means.

Shared by the file reader (column headers) and the dialer link (VICIdial's web-form
variables): `first_name`, `Phone1`, `POSTAL-CODE` and `zip code` are compared as the same
spelling, so case, spaces, dashes, underscores and dots never matter.

Two kinds of names are deliberately not placed here:
- names that other systems use for their *own* ids and that SecurityTrax also uses:
  `source_id` and `campaign_id` (VICIdial's list source and Facebook's ad campaign are not
  the dealer's source or campaign), and ids such as `lead_id` and `list_id`. A caller that
  knows its names are SecurityTrax's own (a LeadDesk file, a `leaddesk://` link written for
  SecurityTrax) can ask `securitytrax_field` instead;
- a full name (`full_name`, VICIdial's `fullname` is even the *agent's* name): splitting one
  name into first and last is the caller's choice, not a field.
"""

from __future__ import annotations

import re

from leaddesk.domain.fields import FIELD_NAMES

# SecurityTrax names that other systems also give to ids of their own.
SHARED_ID_FIELDS = frozenset({"source_id", "campaign_id"})

_NOT_LETTER_OR_DIGIT = re.compile(r"[\W_]+")


def spelling_key(name: str) -> str:
    """A name as compared: lower case, without spaces, dashes, underscores or dots."""
    return _NOT_LETTER_OR_DIGIT.sub("", name.casefold())


# Other tools' names, as spelling keys, for the lead fields (VICIdial, LeadConduit,
# boberdoo, Facebook Lead Ads, Google Ads lead forms, and what people type).
_SYNONYMS: dict[str, tuple[str, ...]] = {
    "fname": ("firstname", "first", "givenname", "forename"),
    "lname": ("lastname", "last", "surname", "familyname"),
    "address1": ("address", "streetaddress", "street", "addressline1", "address1line"),
    "address2": ("addressline2", "apt", "suite", "apartment"),
    "city": ("town",),
    "state": ("region", "statecode", "stateprovince"),
    "zip": ("zipcode", "postalcode", "postcode", "zip5", "postal"),
    "phone1": ("phone", "phonenumber", "primaryphone", "homephone", "telephone", "tel"),
    "phone2": ("cellphone", "cell", "mobile", "mobilephone", "cellnumber", "mobilenumber"),
    "phone3": ("workphone", "businessphone", "officephone"),
    # VICIdial's alt_phone is another number, not known to be a cell or a work line.
    "phone4": ("altphone", "alternatephone", "otherphone", "alternativephone"),
    "email": ("emailaddress", "mail"),
    "lead_comments": ("comments", "comment"),
    "lead_callcenter_notes": ("notes", "callcenternotes"),
    "contact_time": ("besttimetocall", "besttime", "calltime", "timetocall"),
    # VICIdial's vendor_lead_code (vendor_id in its default web form) is the call
    # floor's own id for the lead: what SecurityTrax calls the company's unique id.
    "lead_company_unique_id": ("vendorleadcode", "vendorid", "yourleadid", "companyuniqueid"),
    "lead_home_ownership": ("homeownership", "ownership", "ownrent", "rentown"),
    "lead_source_info": ("sourceinfo", "leadsource"),
    "lead_promo_code": ("promocode", "promo"),
    "lead_purchase_price": ("purchaseprice", "leadprice", "price"),
    "lead_type_id": ("leadtype",),
    "lead_callcenter_rep": ("callcenterrep",),
    "lead_custom1": ("custom1",),
    "lead_custom2": ("custom2",),
    "lead_custom3": ("custom3",),
    "lead_custom4": ("custom4",),
    "spouse": ("spousename",),
}

_OWN_NAMES = {spelling_key(name): name for name in FIELD_NAMES}
_BY_KEY: dict[str, str] = {
    **{key: name for key, name in _OWN_NAMES.items() if name not in SHARED_ID_FIELDS},
    **{key: field for field, keys in _SYNONYMS.items() for key in keys},
}


def lead_field_for(name: str) -> str | None:
    """The SecurityTrax lead field that `name` means, or None when it means none for sure.

    `first_name` -> fname, `Phone_Number` -> phone1, `postal-code` -> zip, `vendor_id` ->
    lead_company_unique_id. None for unknown names, for `source_id`/`campaign_id` (whose id
    it is cannot be told from the name), for other systems' ids, and for full names.
    """
    return _BY_KEY.get(spelling_key(name))


def securitytrax_field(name: str) -> str | None:
    """The field when `name` is a SecurityTrax field name however spelt (`Source ID`,
    `source-id`), including `source_id` and `campaign_id`; else what `lead_field_for` says.
    For names known to be written for SecurityTrax, not taken from another system."""
    return _OWN_NAMES.get(spelling_key(name)) or lead_field_for(name)

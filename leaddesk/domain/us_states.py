"""US states, DC and inhabited US territories, as SecurityTrax's two-letter state codes.

A constant table rather than a dependency: the `us` package covers the same 56 entries
but pulls in a compiled fuzzy-matching library we do not want in the desktop bundle.
"""

from types import MappingProxyType

STATE_NAMES = MappingProxyType(
    {
        "AL": "Alabama",
        "AK": "Alaska",
        "AZ": "Arizona",
        "AR": "Arkansas",
        "CA": "California",
        "CO": "Colorado",
        "CT": "Connecticut",
        "DE": "Delaware",
        "DC": "District of Columbia",
        "FL": "Florida",
        "GA": "Georgia",
        "HI": "Hawaii",
        "ID": "Idaho",
        "IL": "Illinois",
        "IN": "Indiana",
        "IA": "Iowa",
        "KS": "Kansas",
        "KY": "Kentucky",
        "LA": "Louisiana",
        "ME": "Maine",
        "MD": "Maryland",
        "MA": "Massachusetts",
        "MI": "Michigan",
        "MN": "Minnesota",
        "MS": "Mississippi",
        "MO": "Missouri",
        "MT": "Montana",
        "NE": "Nebraska",
        "NV": "Nevada",
        "NH": "New Hampshire",
        "NJ": "New Jersey",
        "NM": "New Mexico",
        "NY": "New York",
        "NC": "North Carolina",
        "ND": "North Dakota",
        "OH": "Ohio",
        "OK": "Oklahoma",
        "OR": "Oregon",
        "PA": "Pennsylvania",
        "RI": "Rhode Island",
        "SC": "South Carolina",
        "SD": "South Dakota",
        "TN": "Tennessee",
        "TX": "Texas",
        "UT": "Utah",
        "VT": "Vermont",
        "VA": "Virginia",
        "WA": "Washington",
        "WV": "West Virginia",
        "WI": "Wisconsin",
        "WY": "Wyoming",
        "AS": "American Samoa",
        "GU": "Guam",
        "MP": "Northern Mariana Islands",
        "PR": "Puerto Rico",
        "VI": "U.S. Virgin Islands",
    }
)

_BY_NAME = {name.casefold(): code for code, name in STATE_NAMES.items()}
_BY_NAME["washington dc"] = "DC"
_BY_NAME["washington d.c."] = "DC"
_BY_NAME["us virgin islands"] = "VI"
_BY_NAME["virgin islands"] = "VI"


def state_code(text: str) -> str | None:
    """The two-letter code for a code or a name in any letter case, or None if unknown."""
    key = " ".join(text.split()).casefold()
    if key.upper() in STATE_NAMES:
        return key.upper()
    return _BY_NAME.get(key)

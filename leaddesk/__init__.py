"""LeadDesk: enter home-security leads during a call and deliver them to SecurityTrax."""

__version__ = "0.1.0"

"""What both faces share: the use cases (submit, resend, fix, describe), the one place
the application is assembled (Context, and the window's Desk built from it), the
window's door to the history, the words about the queue, times, lead sources (CSV)."""

"""Leads from where they already are: reading other tools' files (dialer lists, ad exports)
and naming their columns as SecurityTrax fields. Qt-free and send-free: the faces (cli, gui)
and the app use it; it uses only the domain and the config."""

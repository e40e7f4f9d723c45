from leaddesk.cli.main import main

raise SystemExit(main())

from sendreport.cli import main

raise SystemExit(main())

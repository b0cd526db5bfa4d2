from minikctl.cli.main import main

raise SystemExit(main())

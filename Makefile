# The two commands of the contract: `make run` serves the product, `make test` runs every test.
# Both read ODOO_SRC (default /opt/odoo/19.0), PGHOST/PGPORT/PGUSER (default 127.0.0.1:5432,
# the current user) and PORT (default 8069) from the environment or the command line.
SHELL := /bin/bash

.PHONY: run test lint venv clean

run:
	@tools/run.sh

test:
	@tools/test.sh

lint:
	@tools/lint.sh

venv:
	@bash -c 'source tools/common.sh && ensure_venv'

clean:
	rm -rf .venv .build

# OnAir: the two commands from the README, and a few helpers.
#   make station   bring the whole example station up on http://127.0.0.1:8080/ (scripts/station up)
#   make test      every test: Swift unit tests + integration tests with real Icecast, nginx, Chromium
#   make deb       onair_<version>_amd64.deb (release build, Swift runtime linked in; docs/DEPLOY.md)
#   make faults    the fault suite (docs/FAULTS.md): ~20 min, prints a table; faults-quick: ~3 min
.PHONY: station stop status test build demo-audio nginx-config faults faults-quick

station:
	scripts/station up

stop:
	scripts/station down

status:
	scripts/station status

test:
	scripts/test

build:
	swift build

demo-audio:
	scripts/make-demo-audio

# Regenerates deploy/nginx-onair.conf (a unit test checks it matches).
nginx-config: build
	$$(swift build --show-bin-path)/onair nginx-config --site /srv/onair/site --listen 80 \
		--server-name radio.example --recordings /srv/onair/recordings --output deploy/nginx-onair.conf

.PHONY: bench
bench: ; python3 bench/run.py all

.PHONY: deb
deb: ; scripts/make-deb

# The fault suite (Tests/faults/run.py, docs/FAULTS.md): real processes on 127.0.0.1, a table of rows.
faults: build
	python3 Tests/faults/run.py --bin-dir $$(swift build --show-bin-path)

faults-quick: build
	python3 Tests/faults/run.py --quick --bin-dir $$(swift build --show-bin-path)

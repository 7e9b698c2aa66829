# Set-up and everyday tasks. `make demo` and `make test` are all a fresh machine needs.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
TRACKER := $(BIN)/tracker
DEMO_DB := db/demo.db
HOST ?= 127.0.0.1
PORT ?= 8001

.PHONY: install demo serve test bench model lint clean

install: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	.ci/system-packages
	touch $@

demo: install
	TRACKER=$(TRACKER) examples/demo.sh $(DEMO_DB)
	$(TRACKER) --db $(DEMO_DB) serve --root --host $(HOST) --port $(PORT)

serve: install
	$(TRACKER) serve --host $(HOST) --port $(PORT)

test: install
	$(BIN)/python -m pytest

# Every benchmark runs and prints its figures; those that miss a target are named at the end.
bench: install
	@missed=""; for benchmark in bench/bench_*.py; do \
		$(BIN)/python $$benchmark || missed="$$missed $$benchmark"; done; \
	if [ -n "$$missed" ]; then echo "Missed their targets:$$missed"; exit 1; fi

# The reference parser's model, from training/ (deterministic: the same files give the
# same model). `make model FOLDS=5` prints cross-validated field accuracy instead.
model: install
	$(BIN)/python training/train_parser.py $(if $(FOLDS),--folds $(FOLDS))

lint: install
	$(BIN)/ruff check tracker tests bench docs training
	$(BIN)/ruff format --check tracker tests bench docs training

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache

# Two commands for a new user: `make run` serves the app, `make test` runs the whole test suite.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
export HF_HUB_OFFLINE := 1
export TRANSFORMERS_OFFLINE := 1
export ANONYMIZED_TELEMETRY := False

.PHONY: run test ingest eval clean

$(BIN)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	# torch is pinned in pyproject.toml (torch==2.13.0, the CPU wheel pip finds on this machine)
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@

run: $(BIN)/.installed
	$(BIN)/vnip ingest
	$(BIN)/streamlit run app.py --server.address 127.0.0.1 --server.port 8501

ingest: $(BIN)/.installed
	$(BIN)/vnip ingest

test: $(BIN)/.installed
	VNIP_TEST_HOME=$(CURDIR)/.vnip/test-home $(BIN)/python -m pytest -q -p no:cacheprovider

clean:
	rm -rf $(VENV) .vnip

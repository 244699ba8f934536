# Two commands for a new user: `make run` serves the app, `make test` runs the whole test suite.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
export HF_HUB_OFFLINE := 1
export TRANSFORMERS_OFFLINE := 1
export ANONYMIZED_TELEMETRY := False

.PHONY: run test test-fast ingest eval gate bench clean

# Other people's evaluation sets, scored when they sit beside the repository (the product never reads them itself).
EXTERNAL ?= ../shared/eval-external
EXTERNAL_SETS := $(wildcard $(EXTERNAL)/hongtuanphat_dev_set@*.json $(EXTERNAL)/hongtuanphat_heldout_set@*.json \
                            $(EXTERNAL)/phuit2503_legal_it_chatbot_benchmark.json \
                            $(EXTERNAL)/truongquangphat_legal_qa_benchmark)

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

# The lane for every change: no model load, no index, no browser (tests/conftest.py marks the rest `slow`).
test-fast: $(BIN)/.installed
	$(BIN)/python -m pytest -q -p no:cacheprovider -m "not slow"

# --set dev/test also runs evals/assess-dev/test.jsonl (verdict accuracy, grounding-cite recall).
eval: $(BIN)/.installed
	$(BIN)/vnip eval --set dev --set test --file evals/calibration.jsonl $(foreach f,$(EXTERNAL_SETS),--file '$(f)')

# The CI gate: the dev split against evals/gate.json (exit 1 with the failing figure named).
gate: $(BIN)/.installed
	$(BIN)/vnip eval --gate evals/gate.json

bench: $(BIN)/.installed
	$(BIN)/python scripts/bench.py $(BENCH_ARGS)

clean:
	rm -rf $(VENV) .vnip

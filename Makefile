# Two commands matter: `make lab` and `make test`. Both build .venv on first use.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: setup lab test data lint bench clean

setup: $(STAMP)

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	@touch $(STAMP)

# Jupyter refuses to run as root unless told; containers often run as root.
LAB_ARGS ?= $(shell [ "$$(id -u)" = 0 ] && echo --allow-root)
lab: setup
	$(BIN)/jupyter lab --notebook-dir=notebooks $(LAB_ARGS)

# Unit tests + every notebook under nbval. MKT_LESSONS_STRICT turns Future/Deprecation
# warnings into errors inside the notebook kernels too; MKT_LESSONS_OFFLINE blocks sockets.
test: setup
	PYTHONHASHSEED=0 MKT_LESSONS_STRICT=1 MKT_LESSONS_OFFLINE=1 \
		$(BIN)/python -m pytest $(PYTEST_ARGS)

data: setup
	$(BIN)/python -m mkt_lessons.synth --out datasets

lint: setup
	$(BIN)/ruff check mkt_lessons tests benchmarks

bench: setup
	$(BIN)/python benchmarks/run.py

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .hypothesis

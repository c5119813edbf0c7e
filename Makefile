# Two commands matter: `make lab` and `make test`. Both build .venv on first use.
# tools/setup_env.py installs only when the dependency list in pyproject.toml changed, so
# once .venv exists nothing here needs the network.
PYTHON     ?= python3
VENV       := .venv
BIN        := $(VENV)/bin
WHEELHOUSE ?=
SETUP_ARGS  = $(if $(WHEELHOUSE),--wheelhouse $(WHEELHOUSE))
# Unit tests + doctests + every notebook (nbval). MKT_LESSONS_STRICT turns Future/Deprecation
# warnings into errors inside the notebook kernels too; MKT_LESSONS_OFFLINE blocks sockets;
# MPLBACKEND=Agg keeps figures open across cells, so a cell that draws without making its
# own axes fails here (notebooks must also run as scripts and on servers).
TEST_ENV    = PYTHONHASHSEED=0 MKT_LESSONS_STRICT=1 MKT_LESSONS_OFFLINE=1 MPLBACKEND=Agg

.PHONY: setup lab test test-min test-spark data lint bench wheelhouse book book-check clean

setup:
	@$(PYTHON) tools/setup_env.py --venv $(VENV) --extras dev $(SETUP_ARGS)

# Jupyter refuses to run as root unless told; containers often run as root.
LAB_ARGS ?= $(shell [ "$$(id -u)" = 0 ] && echo --allow-root)
lab: setup
	$(BIN)/jupyter lab --notebook-dir=notebooks $(LAB_ARGS)

test: setup
	$(TEST_ENV) $(BIN)/python -m pytest $(PYTEST_ARGS)

# The same suite in a separate environment with the lowest versions pyproject.toml allows.
test-min:
	@$(PYTHON) tools/setup_env.py --venv .venv-min --extras dev --lowest $(SETUP_ARGS)
	$(TEST_ENV) .venv-min/bin/python -m pytest $(PYTEST_ARGS)

# Lesson 15 and mkt_lessons.scale on a real Spark, in its own environment (.venv-spark,
# extras dev,spark: about 410 MB). Kept out of `make test` so a learner's first run stays
# small and fast; CI runs it. There the Spark tests, notebook 15 and the Parquet round trip
# run instead of skipping.
SPARK_TESTS = tests/test_scale.py tests/test_bad_input_scale.py tests/test_exercises_l15.py \
              tests/test_synth_scale.py \
              tests/test_exercises_all.py mkt_lessons/scale.py notebooks/15_scaling_out.ipynb
test-spark:
	@$(PYTHON) tools/setup_env.py --venv .venv-spark --extras dev,spark $(SETUP_ARGS)
	$(TEST_ENV) .venv-spark/bin/python -m pytest $(SPARK_TESTS) $(PYTEST_ARGS)

data: setup
	$(BIN)/python -m mkt_lessons.synth --out datasets

lint: setup
	$(BIN)/ruff check mkt_lessons tests benchmarks tools

bench: setup
	$(BIN)/python benchmarks/run.py

# The offline HTML book of the executed lessons, trainer guides and data card, in its own
# environment (.venv-book) so the book's tools never change the one `make test` uses.
book:
	@$(PYTHON) tools/setup_env.py --venv .venv-book --extras book,dev $(SETUP_ARGS)
	.venv-book/bin/python tools/build_book.py

# Checks the built book: no external URL anywhere, and in headless Chromium (Debian's
# `chromium` package) a lesson's formulas are typeset and its figures load.
book-check:
	.venv-book/bin/python -m pytest book/tests -p no:cacheprovider -q

# A trainer's offline install kit: every wheel (with pip and setuptools) in wheelhouse/.
# In the room: make setup WHEELHOUSE=wheelhouse (no network). WHEELHOUSE_ARGS passes pip
# download options, e.g. "--platform win_amd64 --python-version 3.11" for other laptops.
wheelhouse:
	$(PYTHON) tools/setup_env.py --download wheelhouse --extras dev --pip-args "$(WHEELHOUSE_ARGS)"

clean:
	rm -rf $(VENV) .venv-min .venv-spark .venv-book book/_build wheelhouse .pytest_cache .ruff_cache .hypothesis

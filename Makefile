# Two commands: `make demo` and `make test`. Both create .venv on first use and first check the Debian
# packages they need (scripts/check_system.sh: installs missing ones as root / with sudo, else prints the
# one apt-get line and stops). `make demo` installs only vidgist's own dependencies; `make test` adds the
# `test` and `multilingual` extras (pytest, Playwright, Ray, scikit-image, Whisper base).
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
DEMO_STAMP := $(VENV)/.installed-demo
TEST_STAMP := $(VENV)/.installed-test
OUT ?= demo-out

.PHONY: demo test test-any-cpu setup system-demo system-test system-bench lint docs bench clean

setup: $(TEST_STAMP)

system-demo:
	@scripts/check_system.sh demo
system-test:
	@scripts/check_system.sh test
system-bench:
	@scripts/check_system.sh bench

$(BIN)/python:
	$(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	# torch first, pinned: the CPU wheel on these machines (a looser spec pulls a CUDA build)
	$(BIN)/pip install -q torch==2.13.0

$(DEMO_STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q -e .
	touch $(DEMO_STAMP)

$(TEST_STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q -e ".[test,multilingual]"
	touch $(DEMO_STAMP) $(TEST_STAMP)

DEMO_QUERY ?= bicycles racing down a mountain trail

demo: system-demo $(DEMO_STAMP)
	@$(BIN)/vidgist prepare --no-speech
	@video=$$($(BIN)/python examples/make_demo_video.py examples/demo.mp4) && \
	echo "vidgist summarize $$video -q \"$(DEMO_QUERY)\" -o $(OUT)" && \
	$(BIN)/vidgist summarize "$$video" -q "$(DEMO_QUERY)" -o $(OUT)
	@echo "outputs in $(OUT)/:" && ls -l $(OUT)

# `vidgist prepare` builds the model caches first (about 1 min on a new machine, 2 s after), so the
# suite's time is the tests' own.
test: system-test $(TEST_STAMP)
	$(BIN)/vidgist prepare
	$(BIN)/python -m pytest --durations=15

# The suite on one thread and with each other Whisper compute type (docs/install.md, "Any CPU").
test-any-cpu: system-test $(TEST_STAMP)
	OMP_NUM_THREADS=1 $(BIN)/python -m pytest -q
	for c in int8_float32 float32; do VIDGIST_ASR_COMPUTE=$$c $(BIN)/python -m pytest -q || exit 1; done

lint: $(TEST_STAMP)
	$(BIN)/pip install -q -e ".[dev]"
	$(BIN)/ruff format --check .
	$(BIN)/ruff check .
	$(BIN)/mypy src

# The documentation site (mkdocs.yml) into site/.
docs: $(TEST_STAMP)
	$(BIN)/mkdocs build --strict --site-dir site

clean:
	rm -rf $(VENV) $(OUT)

# Two commands: `make demo` and `make test`. Both create .venv on first use.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
OUT ?= demo-out

.PHONY: demo test setup lint bench clean

setup: $(STAMP)

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	# torch first, pinned: the CPU wheel on these machines (a looser spec pulls a CUDA build)
	$(BIN)/pip install -q torch==2.13.0
	$(BIN)/pip install -q -e ".[dev,multilingual]"
	touch $(STAMP)

DEMO_QUERY ?= bicycles racing down a mountain trail

demo: $(STAMP)
	@video=$$($(BIN)/python examples/make_demo_video.py examples/demo.mp4) && \
	echo "vidgist summarize $$video -q \"$(DEMO_QUERY)\" -o $(OUT)" && \
	$(BIN)/vidgist summarize "$$video" -q "$(DEMO_QUERY)" -o $(OUT)
	@echo "outputs in $(OUT)/:" && ls -l $(OUT)

test: $(STAMP)
	$(BIN)/python -m pytest --durations=15

lint: $(STAMP)
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/mypy src

clean:
	rm -rf $(VENV) $(OUT)

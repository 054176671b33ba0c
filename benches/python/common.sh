# Shared by the benches/python/<thing>_compare.sh drivers; each sources it after `cd` to the
# repository's root. A driver builds its Rust side, examples/<thing>_compare.rs, once with
# `build_example`, runs it and the Python side on the same data in one run, and pipes the
# table through `write_table`, which prints it and, with OUT set, also writes it to that file.
python=${PYTHON:-python3}

# Builds examples/$1.rs in release mode and copies the program to the folder $2, so that the
# timed rounds run the program itself, not cargo.
build_example() {
  cargo build --release --quiet --example "$1"
  cp "${CARGO_TARGET_DIR:-target}/release/examples/$1" "$2/"
}

# The processor and its number of cores.
cpu_line() {
  echo "cpu: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//'), $(nproc) cores"
}

# The same, with the load average when called (at the end of the runs).
cpu_line_with_load() {
  echo "$(cpu_line); load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
}

write_table() {
  tee "${OUT:-/dev/null}"
}

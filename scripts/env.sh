# Sourced by the scripts: one cargo build cache outside the checkout, shared by every run,
# so CI and fresh clones do not rebuild Tauri from nothing.
if [ -z "${CARGO_TARGET_DIR:-}" ]; then
  if mkdir -p /var/cache/outreach-desk/target 2>/dev/null && [ -w /var/cache/outreach-desk/target ]; then
    export CARGO_TARGET_DIR=/var/cache/outreach-desk/target
  else
    export CARGO_TARGET_DIR="$HOME/.cache/outreach-desk/target"
  fi
fi
export CARGO_TERM_COLOR=never

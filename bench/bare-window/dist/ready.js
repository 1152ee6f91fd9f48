// Reports the first frame to the shell, the way Outreach Desk's unit tree does (a frame after the content is there).
requestAnimationFrame(() => window.__TAURI_INTERNALS__.invoke("ready"));

// The PDF preview's renderer: pdf.js (pdfjs-dist, legacy build: it carries the polyfills an
// older WebKitGTK lacks, e.g. Map.prototype.getOrInsertComputed) loaded on first use. The
// worker is an asset of the app itself (same origin, CSP default-src 'self'), strings are
// never evaluated (isEvalSupported: false, no 'unsafe-eval'), and WebAssembly is not used (no
// 'wasm-unsafe-eval'; our PDFs hold no JPX/JBIG2 images that would need it).
// Tests mock this module: jsdom has no canvas.

/** A page's size in CSS pixels at 100 % (1 pt = 1 px). */
export type PageSize = { width: number; height: number };

export interface PdfDoc {
  readonly numPages: number;
  /** "web" when pdf.js parses in a Web Worker, "main" when it fell back to the main thread. */
  readonly worker: "web" | "main";
  /** Size of a page (1-based). */
  pageSize(page: number): Promise<PageSize>;
  /**
   * Draws a page (1-based) into the canvas, `cssWidth` CSS pixels wide, sharp on high-DPI
   * screens. Resolves false when the render was cancelled (the canvas was released meanwhile).
   */
  render(page: number, canvas: HTMLCanvasElement, cssWidth: number): Promise<boolean>;
  /** Stops the running renders of a canvas (e.g. it scrolled far away). */
  cancel(canvas: HTMLCanvasElement): void;
  destroy(): Promise<void>;
}

/** base64 (as Rust sends the PDF) → bytes. */
export function base64ToBytes(b64: string): Uint8Array {
  const native = (Uint8Array as unknown as { fromBase64?: (s: string) => Uint8Array }).fromBase64;
  if (typeof native === "function") return native(b64);
  const bin = atob(b64);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

type PdfJs = typeof import("pdfjs-dist");
let pdfjsPromise: Promise<PdfJs> | null = null;

async function pdfjs(): Promise<PdfJs> {
  if (!pdfjsPromise) {
    pdfjsPromise = (async () => {
      const [lib, worker] = await Promise.all([
        import("pdfjs-dist/legacy/build/pdf.mjs") as Promise<PdfJs>,
        import("pdfjs-dist/legacy/build/pdf.worker.min.mjs?url"),
      ]);
      lib.GlobalWorkerOptions.workerSrc = worker.default;
      return lib;
    })();
    pdfjsPromise.catch(() => {
      pdfjsPromise = null;
    });
  }
  return pdfjsPromise;
}

/** Opens the PDF's bytes (the buffer is handed to the worker: do not reuse it). */
export async function openPdf(data: Uint8Array): Promise<PdfDoc> {
  const lib = await pdfjs();
  const task = lib.getDocument({
    data,
    isEvalSupported: false,
    useWasm: false,
    // fonts are embedded (Noto Sans SC subsets); nothing is fetched
    useSystemFonts: false,
    disableAutoFetch: true,
    enableXfa: false,
  });
  const doc = await task.promise;
  const port = (task as unknown as { _worker?: { port?: unknown } | null })._worker?.port;
  const worker = typeof Worker !== "undefined" && port instanceof Worker ? "web" : "main";
  const running = new Map<HTMLCanvasElement, { cancel: () => void }>();

  return {
    numPages: doc.numPages,
    worker,
    async pageSize(n) {
      const page = await doc.getPage(n);
      const vp = page.getViewport({ scale: 1 });
      return { width: vp.width, height: vp.height };
    },
    async render(n, canvas, cssWidth) {
      running.get(canvas)?.cancel();
      const page = await doc.getPage(n);
      const base = page.getViewport({ scale: 1 });
      const dpr = Math.min(window.devicePixelRatio || 1, 2);
      const scale = (cssWidth / base.width) * dpr;
      const viewport = page.getViewport({ scale });
      canvas.width = Math.floor(viewport.width);
      canvas.height = Math.floor(viewport.height);
      const task = page.render({ canvas, viewport, background: "#ffffff" });
      running.set(canvas, task);
      try {
        await task.promise;
        return true;
      } catch (e) {
        if (e instanceof Error && e.name === "RenderingCancelledException") return false;
        throw e;
      } finally {
        if (running.get(canvas) === task) running.delete(canvas);
      }
    },
    cancel(canvas) {
      running.get(canvas)?.cancel();
      running.delete(canvas);
    },
    async destroy() {
      for (const t of running.values()) t.cancel();
      running.clear();
      await task.destroy();
    },
  };
}

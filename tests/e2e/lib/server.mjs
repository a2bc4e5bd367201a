// A small static server for the built page. It binds 127.0.0.1 only, on a free port, and
// serves dist/ under a sub-path, the way a documentation site would host the page, so that
// any absolute URL in the build shows up as a 404 in the tests.
import { createServer } from "node:http";
import { readFile, stat } from "node:fs/promises";
import { extname, join, normalize, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";

export const ROOT = resolve(fileURLToPath(new URL("../../..", import.meta.url)));
export const DIST = join(ROOT, "dist");
export const SUB_PATH = "/some/docs/path/";

const TYPES = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".wasm": "application/wasm",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".json": "application/json",
  ".ico": "image/x-icon",
  ".txt": "text/plain; charset=utf-8",
  ".map": "application/json",
  // Fonts, which a documentation site (mdBook's default theme) ships beside its pages.
  ".woff": "font/woff",
  ".woff2": "font/woff2",
  ".ttf": "font/ttf",
  ".otf": "font/otf",
  ".eot": "application/vnd.ms-fontobject",
};

/**
 * Starts serving `dir` at `subPath`. `headers` are added to every response (a test can pass
 * a Content-Security-Policy, for example). With `cors: true` every response, errors too,
 * also carries `Access-Control-Allow-Origin: *`, as a static host does that serves the files
 * to pages on other origins (module scripts and the wasm fetch are CORS requests).
 * Resolves to { origin, url, requests, close }.
 */
export async function serveDist({ dir = DIST, subPath = SUB_PATH, headers = {}, cors = false } = {}) {
  const requests = [];
  const allow = cors ? { "access-control-allow-origin": "*" } : {};
  const server = createServer(async (req, res) => {
    const path = decodeURIComponent(new URL(req.url, "http://x").pathname);
    requests.push(path);
    if (!path.startsWith(subPath)) {
      res.writeHead(404, { "content-type": "text/plain", ...allow }).end("not under the sub-path");
      return;
    }
    let file = normalize(join(dir, path.slice(subPath.length)));
    if (!file.startsWith(resolve(dir) + sep) && file !== resolve(dir)) {
      res.writeHead(403, allow).end();
      return;
    }
    try {
      if ((await stat(file)).isDirectory()) file = join(file, "index.html");
      const body = await readFile(file);
      res.writeHead(200, {
        "content-type": TYPES[extname(file)] ?? "application/octet-stream",
        "cache-control": "no-cache",
        ...allow,
        ...headers,
      });
      res.end(body);
    } catch {
      res.writeHead(404, { "content-type": "text/plain", ...allow }).end("not found");
    }
  });
  await new Promise((ok) => server.listen(0, "127.0.0.1", ok));
  const { port } = server.address();
  const origin = `http://127.0.0.1:${port}`;
  return {
    origin,
    url: origin + subPath,
    requests,
    close: () => new Promise((ok) => server.close(ok)),
  };
}

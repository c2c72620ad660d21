// EJS with one layout: a view renders first, then views/layout.ejs wraps it (unless the view
// sets `layout: false`). Templates are compiled once and cached.
import path from 'node:path';
import ejs from 'ejs';

type Done = (err: Error | null, html?: string) => void;

export function layoutEngine(viewsDir: string) {
  const layoutFile = path.join(viewsDir, 'layout.ejs');
  return (file: string, rawOptions: object, done: Done): void => {
    const options = rawOptions as Record<string, unknown>;
    const opts = { ...options, cache: true, filename: file, views: [viewsDir] };
    ejs.renderFile(file, opts, opts, (err, body) => {
      if (err) return done(err);
      if (options.layout === false) return done(null, body);
      ejs.renderFile(layoutFile, { ...opts, body }, { cache: true, views: [viewsDir] }, (err2, page) =>
        err2 ? done(err2) : done(null, page),
      );
    });
  };
}

// EJS with one layout: a view renders first, then views/layout.ejs wraps it (unless the view
// sets `layout: false`). Templates are compiled once and cached.
import path from 'node:path';
import ejs from 'ejs';

type Done = (err: Error | null, html?: string) => void;

export function layoutEngine(viewsDir: string) {
  const layoutFile = path.join(viewsDir, 'layout.ejs');
  // EJS's own options, kept apart from the locals: every include copies its options, so they stay small.
  // Includes name their file from the views folder (`include('/_field')`), which EJS resolves
  // without asking the file system on every call.
  const ejsOptions = { cache: true, root: viewsDir, views: [viewsDir] };
  return (file: string, rawOptions: object, done: Done): void => {
    const locals = rawOptions as Record<string, unknown>;
    ejs.renderFile(file, locals, ejsOptions, (err, body) => {
      if (err) return done(err);
      if (locals.layout === false) return done(null, body);
      ejs.renderFile(layoutFile, { ...locals, body }, ejsOptions, (err2, page) => (err2 ? done(err2) : done(null, page)));
    });
  };
}

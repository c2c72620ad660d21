// EJS with one layout: a view renders first, then views/layout.ejs wraps it (unless the view sets
// `layout: false`). Includes name their file from the views folder: `include('/studies/_nav')`.
//
// How templates are compiled: by default EJS wraps a template in `with (locals) { … }`, and V8 looks
// up every name read inside `with` at run time, which made our pages render three to four times
// slower than the same template with its locals declared as variables. So each template is compiled
// once with the names its code reads declared from the locals (EJS's `destructuredLocals`); a name the
// template declares itself at its top level (`const kind = …`) is left to it, as `with` did; names of
// the JavaScript globals templates use are never declared. EJS's "client" mode leaves `include` to
// us, so an include hands its data on without the two copies EJS makes of it.
import fs from 'node:fs';
import path from 'node:path';
import ejs from 'ejs';

type Done = (err: Error | null, html?: string) => void;
type Locals = Record<string, unknown>;
type Compiled = (locals: Locals, escape: (text: unknown) => string, include: (view: string, data?: Locals) => string, rethrow: undefined) => string;

/** The code inside a template's tags (`<% %>`, `<%= %>`, `<%- %>`; not comments `<%# %>` or literal `<%%`). */
const CODE = /<%(?![#%])[_=-]?([\s\S]*?)[_-]?%>/g;
/** A name that is not a property (`study.id` reads `study`, not `id`). */
const NAME = /(?<![\w$.])[A-Za-z_$][\w$]*/g;
/** Names that cannot be declared, globals the templates call, and what EJS's compiled function uses itself. */
const NOT_LOCALS = new Set([
  'break', 'case', 'catch', 'class', 'const', 'continue', 'debugger', 'default', 'delete', 'do', 'else', 'enum', 'export', 'extends',
  'false', 'finally', 'for', 'function', 'if', 'import', 'in', 'instanceof', 'new', 'null', 'return', 'super', 'switch', 'this', 'throw',
  'true', 'try', 'typeof', 'var', 'void', 'while', 'with', 'yield', 'let', 'static', 'implements', 'interface', 'package', 'private',
  'protected', 'public', 'await', 'async', 'of', 'arguments', 'eval',
  'undefined', 'NaN', 'Infinity', 'Array', 'Boolean', 'Date', 'Intl', 'JSON', 'Map', 'Math', 'Number', 'Object', 'RegExp', 'Set', 'String',
  'encodeURI', 'encodeURIComponent', 'decodeURIComponent', 'isFinite', 'isNaN', 'parseFloat', 'parseInt',
  'locals', 'escapeFn', 'include', 'rethrow', '__output', '__append', '__line', '__lines', '__filename', '__locals',
]);
const REDECLARED = /Identifier '([\w$]+)' has already been declared/;

/** The names a template's code reads that may be locals. */
export function localNamesOf(source: string): string[] {
  const names = new Set<string>();
  for (const [, code] of source.matchAll(CODE)) for (const [name] of code!.matchAll(NAME)) if (!NOT_LOCALS.has(name)) names.add(name);
  return [...names];
}

function compileTemplate(file: string): Compiled {
  const source = fs.readFileSync(file, 'utf8');
  const declared = localNamesOf(source);
  for (;;) {
    try {
      return ejs.compile(source, { filename: file, client: true, _with: false, destructuredLocals: declared } as ejs.Options) as unknown as Compiled;
    } catch (err) {
      // The template declares this name itself: leave it to the template.
      const name = err instanceof SyntaxError ? REDECLARED.exec(err.message)?.[1] : undefined;
      if (!name || !declared.includes(name)) throw err;
      declared.splice(declared.indexOf(name), 1);
    }
  }
}

export function layoutEngine(viewsDir: string) {
  const layoutFile = path.join(viewsDir, 'layout.ejs');
  const compiled = new Map<string, Compiled>();
  const fileOf = new Map<string, string>();

  function render(file: string, data: Locals): string {
    let template = compiled.get(file);
    if (!template) compiled.set(file, (template = compileTemplate(file)));
    const include = (view: string, extra?: Locals): string => {
      let included = fileOf.get(view);
      if (!included) fileOf.set(view, (included = path.join(viewsDir, `${view}.ejs`)));
      return render(included, extra ? { ...data, ...extra } : data);
    };
    return template(data, ejs.escapeXML, include, undefined);
  }

  return (file: string, rawOptions: object, done: Done): void => {
    const locals = rawOptions as Locals;
    let html: string;
    try {
      const body = render(file, locals);
      html = locals.layout === false ? body : render(layoutFile, { ...locals, body });
    } catch (err) {
      return done(err as Error);
    }
    done(null, html);
  };
}

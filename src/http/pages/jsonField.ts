/** A JSON box of a form: its value, or where (line, column) and why it does not parse. */
export type JsonField =
  | { readonly ok: true; readonly value: unknown }
  | { readonly ok: false; readonly line: number; readonly column: number; readonly reason: string };

/**
 * Parses a form's JSON text. When it does not parse, a small scanner finds the first offending
 * character, so the page can say "line 3, column 14" whatever the runtime's own message says.
 */
export function parseJsonField(text: string): JsonField {
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch {
    const { at, reason } = firstFault(text);
    const before = text.slice(0, at);
    const line = before.split('\n').length;
    const column = at - (before.lastIndexOf('\n') + 1) + 1;
    return { ok: false, line, column, reason };
  }
}

/** The message a page shows for a JSON box that does not parse. */
export const jsonFieldMessage = (fault: { line: number; column: number; reason: string }) =>
  `the JSON does not parse at line ${fault.line}, column ${fault.column}: ${fault.reason}. What you typed is kept below.`;

class Fault extends Error {
  constructor(
    readonly at: number,
    readonly reason: string,
  ) {
    super(reason);
  }
}

function firstFault(text: string): { at: number; reason: string } {
  let i = 0;
  const ws = () => {
    while (i < text.length && ' \t\n\r'.includes(text[i]!)) i++;
  };
  const fail = (reason: string): never => {
    throw new Fault(i, reason);
  };
  const describe = () =>
    i >= text.length ? 'the text ends too early' : `unexpected ${JSON.stringify(text[i])}`;
  const literal = (word: string) => {
    if (text.startsWith(word, i)) i += word.length;
    else fail(`${describe()} (expected ${word}?)`);
  };
  const string = () => {
    i++; // opening quote
    while (i < text.length && text[i] !== '"') {
      if (text[i] === '\\') i++;
      else if (text[i] === '\n') fail('a string runs past the end of its line (missing ")');
      i++;
    }
    if (i >= text.length) fail('a string is not closed (missing ")');
    i++;
  };
  const number = () => {
    const m = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(text.slice(i));
    if (!m) fail(`${describe()}: expected a value`);
    i += m![0].length;
  };
  const value = (): void => {
    ws();
    const c = text[i];
    if (c === '{') return object();
    if (c === '[') return array();
    if (c === '"') return string();
    if (c === 't') return literal('true');
    if (c === 'f') return literal('false');
    if (c === 'n') return literal('null');
    if (c === '-' || (c !== undefined && c >= '0' && c <= '9')) return number();
    fail(`${describe()}: expected a value`);
  };
  const object = () => {
    i++;
    ws();
    if (text[i] === '}') return void i++;
    for (;;) {
      ws();
      if (text[i] !== '"')
        fail(
          text[i] === '}'
            ? 'a comma before } (remove it)'
            : `${describe()}: expected a "quoted" field name`,
        );
      string();
      ws();
      if (text[i] !== ':') fail(`${describe()}: expected : after the field name`);
      i++;
      value();
      ws();
      if (text[i] === ',') {
        i++;
        continue;
      }
      if (text[i] === '}') return void i++;
      fail(`${describe()}: expected , or }`);
    }
  };
  const array = () => {
    i++;
    ws();
    if (text[i] === ']') return void i++;
    for (;;) {
      ws();
      if (text[i] === ']') fail('a comma before ] (remove it)');
      value();
      ws();
      if (text[i] === ',') {
        i++;
        continue;
      }
      if (text[i] === ']') return void i++;
      fail(`${describe()}: expected , or ]`);
    }
  };
  try {
    value();
    ws();
    if (i < text.length) fail(`${describe()} after the end of the value`);
    return { at: text.length, reason: 'the JSON does not parse' };
  } catch (error) {
    if (error instanceof Fault) return { at: error.at, reason: error.reason };
    throw error;
  }
}

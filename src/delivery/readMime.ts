/** One attachment or inline image of a message, decoded. */
export interface MimeAttachment {
  /** Its position among the message's attachments, from 0: how a page addresses it. */
  readonly index: number;
  readonly filename: string;
  readonly contentType: string;
  /** The `Content-ID` without its angle brackets, when the HTML refers to it as `cid:`. */
  readonly contentId: string | null;
  readonly disposition: 'inline' | 'attachment';
  readonly content: Buffer;
}

/** A message as its recipient's client reads it: headers, the HTML and text parts, attachments. */
export interface MimeMessage {
  header(name: string): string | null;
  readonly subject: string | null;
  readonly html: string | null;
  readonly text: string | null;
  readonly attachments: readonly MimeAttachment[];
}

/** RFC 2047 encoded words (`=?UTF-8?Q?...?=`, `=?UTF-8?B?...?=`) as text. */
export function decodeHeader(value: string): string {
  return value
    .replace(/\?=\s+=\?/g, '?==?')
    .replace(
      /=\?([^?]+)\?([QqBb])\?([^?]*)\?=/g,
      (_all, charset: string, enc: string, text: string) => {
        const bytes =
          enc.toUpperCase() === 'B'
            ? Buffer.from(text, 'base64')
            : Buffer.from(
                text
                  .replace(/_/g, ' ')
                  .replace(/=([0-9A-Fa-f]{2})/g, (_m, hex: string) =>
                    String.fromCharCode(parseInt(hex, 16)),
                  ),
                'latin1',
              );
        return decodeText(bytes, charset);
      },
    );
}

function decodeText(bytes: Buffer, charset: string | undefined): string {
  try {
    return new TextDecoder(charset || 'utf-8').decode(bytes);
  } catch {
    // An unknown charset label: UTF-8 is what every message we write uses.
    return bytes.toString('utf8');
  }
}

/** Header fields, unfolded, by lower-case name (the first of repeated fields). */
function parseHeaders(block: string): Map<string, string> {
  const headers = new Map<string, string>();
  for (const line of block.replace(/\r?\n[ \t]+/g, ' ').split(/\r?\n/)) {
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    const name = line.slice(0, colon).trim().toLowerCase();
    if (!headers.has(name)) headers.set(name, line.slice(colon + 1).trim());
  }
  return headers;
}

/**
 * A structured field's value and parameters (`text/html; charset=utf-8`), with RFC 2231
 * continuations and encodings (`filename*0*=utf-8''...`) joined and decoded.
 */
function parseStructured(value: string): { value: string; params: Map<string, string> } {
  const [head = '', ...rest] = value.match(/(?:[^;"]|"(?:\\.|[^"\\])*")+/g) ?? [];
  const pieces = new Map<string, { index: number; encoded: boolean; text: string }[]>();
  const plain = new Map<string, string>();
  for (const part of rest) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    const key = part.slice(0, eq).trim().toLowerCase();
    let text = part.slice(eq + 1).trim();
    if (text.startsWith('"')) text = text.slice(1, -1).replace(/\\(.)/g, '$1');
    const match = /^([^*]+)\*(?:(\d+)\*?)?$/.exec(key);
    const [, base, index] = match ?? [];
    if (match && base) {
      const list = pieces.get(base) ?? [];
      list.push({ index: Number(index ?? 0), encoded: key.endsWith('*'), text });
      pieces.set(base, list);
    } else plain.set(key, text);
  }
  for (const [key, list] of pieces) {
    list.sort((a, b) => a.index - b.index);
    let charset = 'utf-8';
    const bytes: number[] = [];
    for (const [i, piece] of list.entries()) {
      let text = piece.text;
      if (piece.encoded && i === 0) {
        const quote = /^([^']*)'[^']*'/.exec(text);
        if (quote) {
          charset = quote[1] || charset;
          text = text.slice(quote[0].length);
        }
      }
      if (piece.encoded)
        text.replace(/%([0-9A-Fa-f]{2})|[^%]/g, (all, hex?: string) => {
          if (hex) bytes.push(parseInt(hex, 16));
          else bytes.push(...Buffer.from(all, 'utf8'));
          return '';
        });
      else bytes.push(...Buffer.from(text, 'utf8'));
    }
    plain.set(key, decodeText(Buffer.from(bytes), charset));
  }
  return { value: head.trim().toLowerCase(), params: plain };
}

function decodeQuotedPrintable(body: string): Buffer {
  const bytes: number[] = [];
  const text = body.replace(/=\r?\n/g, '');
  for (let i = 0; i < text.length; i += 1) {
    const hex = text[i] === '=' ? text.slice(i + 1, i + 3) : '';
    if (/^[0-9A-Fa-f]{2}$/.test(hex)) {
      bytes.push(parseInt(hex, 16));
      i += 2;
    } else bytes.push(text.charCodeAt(i) & 0xff);
  }
  return Buffer.from(bytes);
}

function decodeBody(body: string, encoding: string | undefined): Buffer {
  switch ((encoding ?? '7bit').toLowerCase()) {
    case 'base64':
      return Buffer.from(body.replace(/[^A-Za-z0-9+/=]/g, ''), 'base64');
    case 'quoted-printable':
      return decodeQuotedPrintable(body);
    default:
      return Buffer.from(body, 'latin1');
  }
}

/** Splits at the first empty line; the string holds the bytes one per char (latin1). */
function splitEntity(entity: string): { headers: Map<string, string>; body: string } {
  const match = /\r?\n\r?\n/.exec(entity);
  if (!match) return { headers: parseHeaders(entity), body: '' };
  return {
    headers: parseHeaders(entity.slice(0, match.index)),
    body: entity.slice(match.index + match[0].length),
  };
}

/** The parts between a multipart body's boundary lines, preamble and epilogue left out. */
function multipartParts(body: string, boundary: string): string[] {
  const escaped = boundary.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const delimiter = new RegExp(`(?:^|\\r?\\n)--${escaped}(--)?[ \\t]*(?=\\r?\\n|$)`, 'g');
  const parts: string[] = [];
  let start = -1;
  for (const match of body.matchAll(delimiter)) {
    if (start >= 0) parts.push(body.slice(start, match.index).replace(/^\r?\n/, ''));
    if (match[1]) return parts;
    start = match.index + match[0].length;
  }
  if (start >= 0) parts.push(body.slice(start).replace(/^\r?\n/, ''));
  return parts;
}

/**
 * Reads a MIME message (RFC 2045–2047, 2231): nested multiparts, base64 and quoted-printable,
 * charsets. The first text/html and text/plain parts that are not attachments are the body;
 * every other leaf is an attachment, in the order it appears.
 */
export function readMime(raw: Buffer): MimeMessage {
  const top = splitEntity(raw.toString('latin1'));
  let html: string | null = null;
  let text: string | null = null;
  const attachments: MimeAttachment[] = [];
  const walk = (headers: Map<string, string>, body: string, depth: number) => {
    const type = parseStructured(headers.get('content-type') ?? 'text/plain');
    if (type.value.startsWith('multipart/') && depth < 20) {
      const boundary = type.params.get('boundary');
      if (!boundary) return;
      for (const part of multipartParts(body, boundary)) {
        const entity = splitEntity(part);
        walk(entity.headers, entity.body, depth + 1);
      }
      return;
    }
    const disposition = parseStructured(headers.get('content-disposition') ?? '');
    const content = decodeBody(body, headers.get('content-transfer-encoding'));
    const isAttachment = disposition.value === 'attachment';
    if (!isAttachment && type.value === 'text/html' && html === null) {
      html = decodeText(content, type.params.get('charset'));
      return;
    }
    if (!isAttachment && type.value === 'text/plain' && text === null) {
      text = decodeText(content, type.params.get('charset'));
      return;
    }
    const contentId = headers.get('content-id')?.replace(/^<|>$/g, '') ?? null;
    const name = disposition.params.get('filename') ?? type.params.get('name');
    attachments.push({
      index: attachments.length,
      filename: name ? decodeHeader(name) : `part-${attachments.length + 1}`,
      contentType: type.value,
      contentId,
      disposition: disposition.value === 'inline' ? 'inline' : 'attachment',
      content,
    });
  };
  walk(top.headers, top.body, 0);
  const header = (name: string) => {
    const value = top.headers.get(name.toLowerCase());
    return value === undefined ? null : decodeHeader(value);
  };
  return { header, subject: header('subject'), html, text, attachments };
}

import { deflateSync } from 'node:zlib';
import type { RenderedEmail } from '../../src/delivery/renderedEmail.js';

/** A solid-colour RGB PNG, written by hand (IHDR, one IDAT, IEND). */
export function solidPng(width: number, height: number, rgb: [number, number, number]): Buffer {
  const crcTable = Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k += 1) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  const crc = (bytes: Buffer) => {
    let c = 0xffffffff;
    for (const b of bytes) c = crcTable[(c ^ b) & 0xff]! ^ (c >>> 8);
    return (c ^ 0xffffffff) >>> 0;
  };
  const chunk = (type: string, data: Buffer) => {
    const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const out = Buffer.alloc(body.length + 8);
    out.writeUInt32BE(data.length, 0);
    body.copy(out, 4);
    out.writeUInt32BE(crc(body), body.length + 4);
    return out;
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 2, 0, 0, 0], 8);
  const row = Buffer.concat([Buffer.from([0]), Buffer.from(Array(width).fill(rgb).flat())]);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(Buffer.concat(Array(height).fill(row)))),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/** A report email as a run renders it: two inline charts, a text part with umlauts, a PDF. */
export function sampleEmail(): RenderedEmail {
  const long = 'Sitzungen je Kanal, Woche für Woche, '.repeat(8);
  return {
    subject: 'Wöchentlicher Bericht · 19 – 25 Oct 2026',
    html: `<!doctype html><html><head><meta charset="utf-8"><title>t</title></head><body><h1 style="color: #1f4e79">Wöchentlicher Bericht</h1><p>${long}</p><img src="cid:chart1-trend" width="680" height="220" alt="Trend"><img src="cid:chart2-chart" width="680" height="240" alt="Funnel"><p><a href="mailto:reports@example.com?subject=unsubscribe">reports@example.com</a></p></body></html>`,
    text: `Wöchentlicher Bericht\n${long}\n- Käufe: 5\n`,
    images: [
      {
        cid: 'chart1-trend',
        filename: 'chart1-trend.png',
        content: solidPng(68, 22, [31, 78, 121]),
      },
      {
        cid: 'chart2-chart',
        filename: 'chart2-chart.png',
        content: solidPng(68, 24, [224, 123, 57]),
      },
    ],
    pdf: {
      filename: 'Bericht März 2026.pdf',
      content: Buffer.from('%PDF-1.4\n% täst\n%%EOF\n', 'latin1'),
    },
  };
}

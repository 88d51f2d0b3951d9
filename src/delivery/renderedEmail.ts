/** What a run renders once and every recipient's email is built from. */
export interface RenderedEmail {
  readonly subject: string;
  /** The HTML body with CSS already inlined; charts refer to images as `cid:<cid>`. */
  readonly html: string;
  readonly text: string;
  readonly images: readonly { cid: string; filename: string; content: Buffer }[];
  readonly pdf: { filename: string; content: Buffer } | null;
}

export interface Addressing {
  readonly from: string;
  readonly to: readonly string[];
  readonly cc: readonly string[];
  /** The one address this message is delivered to (the SMTP envelope). */
  readonly envelopeTo: string;
  readonly messageId: string;
  /** Where a recipient asks to stop receiving this schedule. */
  readonly unsubscribe: { mailto: string; url?: string };
}

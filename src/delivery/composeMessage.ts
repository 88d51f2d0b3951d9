import type Mail from 'nodemailer/lib/mailer/index.js';
import type { Addressing, RenderedEmail } from './renderedEmail.js';

/**
 * One recipient's message. Headers show the whole To and Cc lists (Bcc never), while the SMTP
 * envelope names only this recipient, so each (run, recipient) is sent and recorded on its own.
 */
export function composeMessage(email: RenderedEmail, addressing: Addressing): Mail.Options {
  const unsubscribe = [
    ...(addressing.unsubscribe.url ? [`<${addressing.unsubscribe.url}>`] : []),
    `<mailto:${addressing.unsubscribe.mailto}?subject=unsubscribe>`,
  ].join(', ');
  return {
    from: addressing.from,
    to: [...addressing.to],
    cc: [...addressing.cc],
    envelope: { from: addressing.from, to: [addressing.envelopeTo] },
    messageId: addressing.messageId,
    subject: email.subject,
    html: email.html,
    text: email.text,
    headers: {
      'List-Unsubscribe': unsubscribe,
      ...(addressing.unsubscribe.url
        ? { 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' }
        : {}),
      'Auto-Submitted': 'auto-generated',
    },
    attachments: [
      ...email.images.map((image) => ({
        filename: image.filename,
        content: image.content,
        cid: image.cid,
        contentType: 'image/png',
        contentDisposition: 'inline' as const,
      })),
      ...(email.pdf
        ? [
            {
              filename: email.pdf.filename,
              content: email.pdf.content,
              contentType: 'application/pdf',
            },
          ]
        : []),
    ],
  };
}

/** Message-IDs are fixed per (run, recipient) so a resend after a crash carries the same one. */
export function deliveryMessageId(runId: number, recipient: string, domain: string): string {
  const local = Buffer.from(recipient.toLowerCase()).toString('base64url');
  return `<run-${runId}.${local}@${domain}>`;
}

/**
 * The run and recipient a Message-ID from `deliveryMessageId` names, or null for any other id:
 * every recipient's copy of one run's email shares the run.
 */
export function parseDeliveryMessageId(
  messageId: string,
): { runId: number; recipient: string; domain: string } | null {
  const match = /^<run-(\d+)\.([A-Za-z0-9_-]+)@([^>\s]+)>$/.exec(messageId.trim());
  if (!match?.[1] || !match[2] || !match[3]) return null;
  const recipient = Buffer.from(match[2], 'base64url').toString('utf8');
  // A local part that is not base64url of an address was not written by deliveryMessageId.
  if (Buffer.from(recipient).toString('base64url') !== match[2] || !recipient.includes('@'))
    return null;
  return { runId: Number(match[1]), recipient, domain: match[3] };
}

const escapeXml = (text: string): string =>
  text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c] as string);

/** A TwiML answer to an inbound SMS: a reply message, or nothing (an empty `<Response/>`). */
export function twimlResponse(reply?: string): string {
  const body = reply ? `<Message>${escapeXml(reply)}</Message>` : '';
  return `<?xml version="1.0" encoding="UTF-8"?><Response>${body}</Response>`;
}

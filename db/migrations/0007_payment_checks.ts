/**
 * The checks the checkout made before approving a payment (docs/protocol.md 7.2, in order),
 * kept for the payment's details on the history screen. Written in the payment's own
 * transaction; they explain it, they are not part of the signed evidence or the hash chain.
 */
export const sql = `
CREATE TABLE payment_checks (
  payment_id INTEGER PRIMARY KEY REFERENCES payments (id),
  steps TEXT NOT NULL CHECK (json_valid(steps))
) STRICT;
`;

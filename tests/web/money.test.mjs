// Money on the pages (resources/web/static/js/money.js): the server's text when it sends one,
// else exact formatting from integer minor units.
// Run: node --test tests/web/money.test.mjs
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { formatMoney } from '../../resources/web/static/js/money.js';

test('the server\'s own text wins', () => {
  assert.equal(formatMoney({ amount_minor: 499, currency: 'USD', formatted: '$4.99' }), '$4.99');
});

test('without it, minor units are written exactly as the server writes them (core::Money::format)', () => {
  assert.equal(formatMoney({ amount_minor: 123456789012345, currency: 'USD' }, 'en-US'),
    '1234567890123.45 USD');
  assert.equal(formatMoney({ amount_minor: 1234, currency: 'USD' }), '12.34 USD');
  assert.equal(formatMoney({ amount_minor: 5, currency: 'USD' }, 'en-US'), '0.05 USD');
  assert.equal(formatMoney({ amount_minor: -5, currency: 'EUR' }, 'de-DE'), '-0.05 EUR');
  assert.equal(formatMoney({ amount_minor: 1500, currency: 'JPY' }, 'en-US'), '1500 JPY');
  assert.equal(formatMoney({ amount_minor: 1, currency: 'ZZZ_bad' }, 'en-US'), '0.01 ZZZ_bad');
});

// Money on the pages (resources/web/static/js/money.js): the server's text when it sends one,
// else exact formatting from integer minor units.
// Run: node --test tests/web/money.test.mjs
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { formatMoney } from '../../resources/web/static/js/money.js';

test('the server\'s own text wins', () => {
  assert.equal(formatMoney({ amount_minor: 499, currency: 'USD', formatted: '$4.99' }), '$4.99');
});

test('without it, minor units are formatted exactly, in the currency\'s digits', () => {
  const usd = formatMoney({ amount_minor: 123456789012345, currency: 'USD' }, 'en-US');
  assert.match(usd, /1,234,567,890,123\.45/);
  assert.match(formatMoney({ amount_minor: 5, currency: 'USD' }, 'en-US'), /0\.05/);
  assert.match(formatMoney({ amount_minor: -499, currency: 'EUR' }, 'en-US'), /-.*4\.99/);
  assert.match(formatMoney({ amount_minor: 1500, currency: 'JPY' }, 'en-US'), /1,500/);
  assert.doesNotMatch(formatMoney({ amount_minor: 1500, currency: 'JPY' }, 'en-US'), /\./);
  assert.equal(formatMoney({ amount_minor: 1, currency: 'ZZZ_bad' }, 'en-US'), '1 ZZZ_bad');
});

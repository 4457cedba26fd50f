// The step between Buy and the charge: the price, the wallet after paying and what the buyer
// gets, then "Pay 4.99 USD" or Cancel. Nothing is charged until Pay.
import { el } from './dom.js';
import { formatMoney } from './money.js';

// price, balance: {amount_minor, currency} (balance may be null); gets: lines of text; onPay(button), onCancel().
export function confirmView({ price, balance, gets, onPay, onCancel }) {
  const pay = el('button', { type: 'button', id: 'confirm-buy' }, `Pay ${formatMoney(price)}`);
  const cancel = el('button', { type: 'button', id: 'cancel-buy', className: 'secondary' }, 'Cancel');
  pay.addEventListener('click', () => onPay(pay));
  cancel.addEventListener('click', () => onCancel());
  const rows = [['Price', formatMoney(price)]];
  if (balance) { // unknown when the wallet could not be read: the server still checks it
    const after = { amount_minor: balance.amount_minor - price.amount_minor, currency: balance.currency };
    rows.push(['Wallet now', formatMoney(balance)], ['Wallet after', formatMoney(after)]);
  }
  const panel = el('div', { className: 'confirm-buy', id: 'buy-confirm', role: 'group', 'aria-label': 'Confirm your purchase' },
    el('p', { className: 'confirm-title' }, el('strong', {}, 'Confirm your purchase')),
    el('dl', { className: 'confirm-figures' }, ...rows.flatMap(([term, value]) =>
      [el('dt', {}, term), el('dd', { dataset: { figure: term.toLowerCase().replace(' ', '-') } }, value)])),
    el('ul', { className: 'you-get' }, ...gets.map((line) => el('li', {}, line))),
    el('div', { className: 'confirm-actions' }, pay, cancel));
  // The whole panel in view (price to Pay), then the keyboard on Pay.
  const focus = () => {
    panel.scrollIntoView({ block: 'nearest' });
    pay.focus({ preventScroll: true });
  };
  return { panel, focus };
}

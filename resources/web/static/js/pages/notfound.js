import { renderHeader } from '../header.js';

renderHeader();

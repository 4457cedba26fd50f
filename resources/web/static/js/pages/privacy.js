import { showSiteText } from '../siteText.js';

showSiteText();

import { render } from 'preact';
import { App } from './app.js';
import { ShareApp, shareToken } from './share.js';
import './styles.css';

const root = document.getElementById('app');
// A share link opens the board alone, signed out (share.tsx); everything else is the app.
const token = shareToken(location.pathname);
if (root) render(token ? <ShareApp token={token} /> : <App />, root);

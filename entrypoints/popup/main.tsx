import { render } from 'preact';
import { PopupPlaceholder } from '../../src/ui/PopupPlaceholder';

const root = document.getElementById('app');
if (root) render(<PopupPlaceholder />, root);

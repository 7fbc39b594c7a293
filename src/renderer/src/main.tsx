import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
// The shared styles first: each feature's sheet, imported by its page.ts through App, refines them.
import './styles/index.css';
import { App } from './App';

createRoot(document.getElementById('root') as HTMLElement).render(
  <StrictMode>
    <App />
  </StrictMode>,
);

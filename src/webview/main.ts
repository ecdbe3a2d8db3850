// Temporary shell: first-run state only; the full panel replaces it.
import type { WebviewMessage } from '../core/protocol';
import { parseHostMessage } from '../core/protocol';

declare function acquireVsCodeApi(): { postMessage(message: WebviewMessage): void };
const vscode = acquireVsCodeApi();
const app = document.getElementById('app')!;

window.addEventListener('message', (event) => {
  const message = parseHostMessage(event.data);
  if (!message) return;
  app.innerHTML = '';
  const section = document.createElement('section');
  section.className = 'card first-run empty-state';
  section.innerHTML = `<h1>Hindsight</h1>
<p>A private mirror of how AI is working out for you. Nothing leaves this machine, and no code is stored.</p>`;
  app.append(section);
});
vscode.postMessage({ type: 'ready' });

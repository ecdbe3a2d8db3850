import assert from 'node:assert/strict';
import * as vscode from 'vscode';

const extensionId = 'hindsight-dev.hindsight';

describe('Hindsight in the extension host', () => {
  it('activates after startup and exposes its commands', async () => {
    const extension = vscode.extensions.getExtension(extensionId);
    assert.ok(extension, 'Hindsight is installed');
    await extension.activate();
    assert.equal(extension.isActive, true);
    const commands = await vscode.commands.getCommands(true);
    const manifest = extension.packageJSON as { contributes: { commands: { command: string }[] } };
    for (const { command } of manifest.contributes.commands) {
      assert.ok(commands.includes(command), `${command} is registered`);
    }
  });

  it('declares the view in the Hindsight activity-bar container', () => {
    const manifest = vscode.extensions.getExtension(extensionId)!.packageJSON as {
      contributes: { views: Record<string, { id: string; type: string }[]> };
    };
    assert.deepEqual(manifest.contributes.views.hindsight.map((v) => [v.id, v.type]), [['hindsight.panel', 'webview']]);
  });
});

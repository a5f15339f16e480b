// `npm start`: run gateway, worker and scheduler as local processes against REDIS_URL and
// the local Docker engine. Ctrl-C stops all three.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const services = ['gateway', 'worker', 'scheduler'];
const children = services.map((name) => {
  const child = spawn(process.execPath, [`${name}/dist/src/main.js`], {
    cwd: root,
    stdio: 'inherit',
  });
  child.on('exit', (code, signal) => {
    console.error(`${name} exited (${signal ?? code}); stopping the others`);
    stopAll();
    process.exitCode = code ?? 1;
  });
  return child;
});

let stopping = false;
function stopAll() {
  if (stopping) return;
  stopping = true;
  for (const child of children) if (child.exitCode === null) child.kill('SIGTERM');
}
process.on('SIGINT', stopAll);
process.on('SIGTERM', stopAll);

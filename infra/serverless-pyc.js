'use strict';

// Local osls plugin: compile each function zip's Python to bytecode for the function runtime.
//
// Why a plugin and not a step after `osls package`: the framework computes each function's
// CodeSha256 (for its AWS::Lambda::Version) from the zip during package:compileFunctions, so
// the zip must be final before that. Listed after serverless-python-requirements in
// serverless.yml, this hook runs after that plugin has moved the `functions/` module to the zip
// root and injected the dependencies. The work itself is in infra/compile_artifact.py.

const { spawnSync } = require('node:child_process');
const path = require('node:path');

class CompileBytecode {
  constructor(serverless) {
    this.serverless = serverless;
    this.hooks = {
      'after:package:createDeploymentArtifacts': () => this.compile(),
      'after:deploy:function:packageFunction': () => this.compile(),
    };
  }

  compile() {
    const { service } = this.serverless;
    const python =
      (service.custom && service.custom.pythonRequirements && service.custom.pythonRequirements.pythonBin) ||
      'python3';
    const byRuntime = new Map();
    for (const name of service.getAllFunctions()) {
      const fn = service.getFunction(name);
      const runtime = fn.runtime || service.provider.runtime;
      const artifact = (fn.package && fn.package.artifact) || service.package.artifact;
      if (!runtime.startsWith('python') || !artifact) continue;
      const artifacts = byRuntime.get(runtime) || new Set();
      artifacts.add(path.resolve(this.serverless.serviceDir, artifact));
      byRuntime.set(runtime, artifacts);
    }
    const script = path.join(__dirname, 'compile_artifact.py');
    for (const [runtime, artifacts] of byRuntime) {
      const done = spawnSync(python, [script, '--runtime', runtime, ...artifacts], {
        stdio: 'inherit',
      });
      if (done.error || done.status !== 0) {
        throw new this.serverless.classes.Error(
          `Compiling bytecode with ${python} failed (${done.error ? done.error.message : `exit ${done.status}`}).`,
        );
      }
    }
  }
}

module.exports = CompileBytecode;

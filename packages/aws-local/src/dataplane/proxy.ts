/**
 * Each ALB listener is a real local HTTP port. Every request is matched against the listener's rules,
 * sent to a target group by the current weights (read per request, so a ModifyRule takes effect on the
 * next one) and to a healthy target in it, and recorded as ALB metrics.
 */
import {
  Agent,
  createServer,
  request as httpRequest,
  type IncomingMessage,
  type OutgoingHttpHeaders,
  type Server,
  type ServerResponse,
} from 'node:http';
import type { Socket } from 'node:net';
import { AwsError } from '../errors.js';
import { hexId } from '../ids.js';
import type { Action } from '../elbv2/model.js';
import type { Elbv2Service, ListenerPorts } from '../elbv2/service.js';
import type { Faults } from '../faults.js';
import type { AlbMetrics } from './alb-metrics.js';
import { actionsFor, chooseTargetGroup, TargetPicker } from './routing.js';

export interface TaskDirectory {
  taskAtPort(port: number): { arn: string; image: string } | undefined;
  crash(taskArn: string): void;
}

const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'upgrade', 'te', 'trailer']);
/** ALB's default idle timeout. */
const IDLE_TIMEOUT_MS = 60_000;

export class ListenerProxy implements ListenerPorts {
  private readonly servers = new Map<string, { server: Server; sockets: Set<Socket> }>();
  private readonly picker = new TargetPicker();
  private readonly agent = new Agent({ keepAlive: true, maxSockets: 256 });
  private elbv2?: Elbv2Service;

  constructor(
    private readonly metrics: () => AlbMetrics,
    private readonly faults: Faults,
    private readonly tasks: () => TaskDirectory,
  ) {}

  /** The ELBv2 service is created with this object as its port binder, so it is attached afterwards. */
  attach(elbv2: Elbv2Service): void {
    this.elbv2 = elbv2;
  }

  async bind(listenerArn: string, requestedPort: number): Promise<number> {
    const sockets = new Set<Socket>();
    const server = createServer((req, res) => this.handle(listenerArn, req, res));
    server.on('connection', (socket) => {
      sockets.add(socket);
      socket.once('close', () => sockets.delete(socket));
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', (error: NodeJS.ErrnoException) =>
        reject(
          new AwsError(
            'ValidationError',
            `Local port ${requestedPort} for the listener cannot be bound (${error.code ?? error.message}); use port 0 for any free port`,
          ),
        ),
      );
      server.listen(requestedPort, '127.0.0.1', resolve);
    });
    this.servers.set(listenerArn, { server, sockets });
    const address = server.address();
    return typeof address === 'object' && address ? address.port : requestedPort;
  }

  async release(listenerArn: string): Promise<void> {
    const entry = this.servers.get(listenerArn);
    if (!entry) return;
    this.servers.delete(listenerArn);
    for (const socket of entry.sockets) socket.destroy();
    await new Promise<void>((resolve) => entry.server.close(() => resolve()));
  }

  async closeAll(): Promise<void> {
    await Promise.all([...this.servers.keys()].map((arn) => this.release(arn)));
    this.agent.destroy();
  }

  private handle(listenerArn: string, req: IncomingMessage, res: ServerResponse): void {
    const state = this.elbv2?.state;
    const listener = state?.listeners.find((l) => l.arn === listenerArn);
    if (!state || !listener) return elbError(res, 503);
    const url = new URL(req.url ?? '/', 'http://listener');
    const actions = actionsFor(
      state.rules.filter((r) => r.listenerArn === listenerArn),
      listener.defaultActions,
      { method: req.method ?? 'GET', path: url.pathname, host: req.headers.host ?? '', headers: req.headers },
    );
    const action = actions[0];
    if (!action) return this.elbAnswer(listener.loadBalancerArn, undefined, res, 503);
    if (action.type === 'fixed-response') return fixedResponse(action, res);
    if (action.type === 'redirect') return redirect(action, req, url, listener.port, res);
    const tgArn = chooseTargetGroup(action.forward ?? []);
    const tg = state.targetGroups.find((g) => g.arn === tgArn);
    const target = tg && this.picker.pick(tg);
    if (!tg || !target) return this.elbAnswer(listener.loadBalancerArn, tgArn, res, 503);
    void this.forward(listener.loadBalancerArn, tg.arn, { host: target.id, port: target.port }, listener.port, req, res);
  }

  private elbAnswer(loadBalancerArn: string, targetGroupArn: string | undefined, res: ServerResponse, status: number): void {
    this.metrics().recordRequest(loadBalancerArn, targetGroupArn, { kind: 'elb', status });
    elbError(res, status);
  }

  private async forward(
    lbArn: string,
    tgArn: string,
    target: { host: string; port: number },
    listenerPort: number,
    req: IncomingMessage,
    res: ServerResponse,
  ): Promise<void> {
    const task = this.tasks().taskAtPort(target.port);
    const fault = task ? this.faults.forRequest(task.image) : { delayMs: 0 };
    const started = performance.now();
    if (fault.delayMs > 0) await new Promise((resolve) => setTimeout(resolve, fault.delayMs));
    const served = (): void => {
      if (task && this.faults.countServed(task.image, task.arn)) this.tasks().crash(task.arn);
    };
    if (fault.errorStatus !== undefined) {
      req.resume();
      this.metrics().recordRequest(lbArn, tgArn, {
        kind: 'target',
        status: fault.errorStatus,
        responseTimeSeconds: (performance.now() - started) / 1000,
      });
      res.writeHead(fault.errorStatus, { 'content-type': 'text/plain' }).end('Injected fault: the task answered with an error\n');
      served();
      return;
    }
    const headers: OutgoingHttpHeaders = {};
    for (const [name, value] of Object.entries(req.headers)) if (!HOP_BY_HOP.has(name) && value !== undefined) headers[name] = value;
    const forwardedFor = req.headers['x-forwarded-for'];
    headers['x-forwarded-for'] = [forwardedFor, req.socket.remoteAddress].filter(Boolean).join(', ');
    headers['x-forwarded-proto'] = 'http';
    headers['x-forwarded-port'] = String(listenerPort);
    headers['x-amzn-trace-id'] = `Root=1-${Math.floor(Date.now() / 1000).toString(16)}-${hexId(24)}`;
    const upstream = httpRequest(
      { host: target.host, port: target.port, method: req.method, path: req.url, headers, agent: this.agent, timeout: IDLE_TIMEOUT_MS },
      (response) => {
        const status = response.statusCode ?? 502;
        this.metrics().recordRequest(lbArn, tgArn, { kind: 'target', status, responseTimeSeconds: (performance.now() - started) / 1000 });
        const out: OutgoingHttpHeaders = {};
        for (const [name, value] of Object.entries(response.headers)) if (!HOP_BY_HOP.has(name) && value !== undefined) out[name] = value;
        res.writeHead(status, out);
        response.pipe(res);
        response.once('end', served);
      },
    );
    upstream.once('timeout', () => upstream.destroy(new Error('timeout')));
    upstream.once('error', (error) => {
      if (res.headersSent) return void res.destroy();
      // 502: the target refused or broke the connection; 504: it did not answer in time.
      this.elbAnswer(lbArn, tgArn, res, error.message === 'timeout' ? 504 : 502);
    });
    req.pipe(upstream);
  }
}

function elbError(res: ServerResponse, status: number): void {
  const text = { 502: 'Bad Gateway', 503: 'Service Temporarily Unavailable', 504: 'Gateway Time-out' }[status] ?? 'Error';
  res
    .writeHead(status, { 'content-type': 'text/html', server: 'awselb/2.0' })
    .end(`<html><head><title>${status} ${text}</title></head><body><center><h1>${status} ${text}</h1></center></body></html>\n`);
}

function fixedResponse(action: Action, res: ServerResponse): void {
  const config = action.fixedResponse;
  res.writeHead(Number(config?.statusCode ?? 200), { 'content-type': config?.contentType ?? 'text/plain' }).end(config?.messageBody ?? '');
}

/** `#{host}`, `#{port}`, `#{path}`, `#{query}` keep the request's own values, as in ELBv2 redirects. */
function redirect(action: Action, req: IncomingMessage, url: URL, listenerPort: number, res: ServerResponse): void {
  const config = action.redirect ?? {};
  const fill = (value: string | undefined, fallback: string): string =>
    (value ?? fallback)
      .replace('#{host}', (req.headers.host ?? '127.0.0.1').replace(/:\d+$/, ''))
      .replace('#{port}', String(listenerPort))
      .replace('#{path}', url.pathname.replace(/^\//, ''))
      .replace('#{query}', url.search.replace(/^\?/, ''))
      .replace('#{protocol}', 'http');
  const protocol = fill(config['Protocol'], '#{protocol}').toLowerCase();
  const path = fill(config['Path'], '/#{path}');
  const query = fill(config['Query'], '#{query}');
  const location = `${protocol}://${fill(config['Host'], '#{host}')}:${fill(config['Port'], '#{port}')}${path.startsWith('/') ? path : `/${path}`}${query ? `?${query}` : ''}`;
  res.writeHead(config['StatusCode'] === 'HTTP_301' ? 301 : 302, { location }).end();
}

import { describe, expect, it } from 'vitest';
import { watchUpdates, type WatchedContainer, type WatchedRegistration, type WatchedWorker } from './update-watch';

class FakeWorker extends EventTarget implements WatchedWorker {
	state = 'installing';
	to(state: string) {
		this.state = state;
		this.dispatchEvent(new Event('statechange'));
	}
}

class FakeRegistration extends EventTarget implements WatchedRegistration {
	installing: FakeWorker | null = null;
	waiting: FakeWorker | null = null;
	active: FakeWorker | null = null;
	/** A new worker is found and installs, as `registration.update()` would cause. */
	install(): FakeWorker {
		const worker = new FakeWorker();
		this.installing = worker;
		this.dispatchEvent(new Event('updatefound'));
		this.installing = null;
		this.waiting = worker;
		worker.to('installed');
		return worker;
	}
	activate(worker: FakeWorker) {
		this.waiting = null;
		this.active = worker;
		worker.to('activated');
	}
}

class FakeContainer extends EventTarget implements WatchedContainer {
	controller: unknown = null;
	change(controller: unknown) {
		this.controller = controller;
		this.dispatchEvent(new Event('controllerchange'));
	}
}

function setup({ active = true, controlled = true } = {}) {
	const registration = new FakeRegistration();
	const container = new FakeContainer();
	if (active) registration.active = new FakeWorker();
	if (controlled) container.controller = registration.active;
	let calls = 0;
	const stop = watchUpdates({ registration, container, onavailable: () => calls++ });
	return { registration, container, stop, calls: () => calls };
}

describe('watchUpdates', () => {
	it('reports a new worker once it is installed and waiting', () => {
		const { registration, calls } = setup();
		registration.install();
		expect(calls()).toBe(1);
	});

	it('reports every later deploy too, not only the first', () => {
		const { registration, calls } = setup();
		registration.install();
		registration.install();
		expect(calls()).toBe(2);
	});

	it('reports a worker that was already waiting when the tab looked', () => {
		const registration = new FakeRegistration();
		registration.active = new FakeWorker();
		registration.waiting = new FakeWorker();
		let calls = 0;
		watchUpdates({ registration, container: new FakeContainer(), onavailable: () => calls++ });
		expect(calls).toBe(1);
	});

	it('does not report the very first install, nor the first worker claiming the tab', () => {
		const { registration, container, calls } = setup({ active: false, controlled: false });
		const first = registration.install();
		registration.activate(first);
		container.change(first);
		expect(calls()).toBe(0);
	});

	it('reports a new worker taking over the tab (another tab accepted the update)', () => {
		const { registration, container, calls } = setup();
		const next = new FakeWorker();
		registration.active = next;
		container.change(next);
		expect(calls()).toBe(1);
	});

	it('stops listening when stopped', () => {
		const { registration, container, stop, calls } = setup();
		stop();
		registration.install();
		container.change(new FakeWorker());
		expect(calls()).toBe(0);
	});
});

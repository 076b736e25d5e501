import { expect, test } from '@playwright/test';
import { expectTicksFlowing } from './helpers';

test('one tab records the history; another asks before taking it over', async ({ context }) => {
	const first = await context.newPage();
	await first.goto('./');
	await expectTicksFlowing(first);

	const second = await context.newPage();
	await second.goto('./');
	await expect(second.getByTestId('owner-notice')).toHaveAttribute('data-phase', 'elsewhere');
	await expect(second.getByTestId('owner-notice')).toContainText('already running in another tab');
	// The first tab is undisturbed.
	await expectTicksFlowing(first);

	await second.getByRole('button', { name: 'Use Tickscope in this tab' }).click();
	await expectTicksFlowing(second);
	await expect(first.getByTestId('owner-notice')).toHaveAttribute('data-phase', 'taken-over');

	// And back again.
	await first.getByRole('button', { name: 'Use Tickscope in this tab' }).click();
	await expectTicksFlowing(first);
	await expect(second.getByTestId('owner-notice')).toHaveAttribute('data-phase', 'taken-over');
});

// English for the demo panel: its phones and actions, the journal of what happened, and the
// S1–S13 guide. Spread into en.ts; a separate room because it is as long as all the rest.
export const enDemo = {
  demo: {
    title: 'Demo panel',
    phones: 'Emulated phones',
    onReader: 'on the reader',
    walletState: 'Wallet state',
    balance: 'Balance',
    power: 'Power',
    signal: 'Signal',
    on: 'on',
    off: 'off',
    actionsOf: 'Actions of {{phone}}',
    actionOn: '{{action}} ({{phone}})',
    actions: {
      tap: 'Tap on the reader',
      pull_away: 'Pull away mid-tap',
      tear_next: 'Tear the next tap',
      swap_sim: 'Swap SIM',
      swap_device: 'Swap device',
      power_off: 'Power off',
      power_on: 'Power on',
      signal_off: 'Signal off',
      signal_on: 'Signal on',
      sync: 'Sync online',
      report_lost: 'Report lost',
      unlock: 'Ask to unlock',
      reactivate: 'Re-activate on a new phone',
      top_up: 'Top up',
      unlock_wrong: 'Unlock with wrong details',
      clone_spend: 'Clone: spend a copy at terminal 2',
    },
    topUpAmount: 'Top-up amount (minor units)',
    walletStates: {
      active: 'active',
      temp_locked_network: 'temporarily locked (offline too long)',
      temp_locked_power: 'temporarily locked (powered off too long)',
      disabled: 'disabled by the platform',
      locked: 'locked (SIM or device changed)',
      wiped: 'wiped',
      not_activated: 'not activated',
    },
    log_one: 'Log ({{count}} payment)',
    log_other: 'Log ({{count}} payments)',
    timeTravel: 'Time travel',
    clock: 'Demo clock: {{now}} (moved {{offset}})',
    pastTimer: 'Past {{timer}} ({{duration}})',
    minutes: 'Minutes',
    travel: 'Move the clock',
    guide: 'Scenario guide',
    scenario: 'Scenario',
    patentSays: 'What the patent says happens',
    stepOf: 'Step {{step}} of {{of}}',
    justHappened: 'What just happened',
    nothingYet: 'Nothing yet: take an action.',
    platform: 'Platform online',
    platformOnline: 'The terminal and the phones reach the platform.',
    platformOffline:
      'Platform offline: sales are still approved offline; syncs and uploads fail until it is back.',
    newUserName: 'New user’s name',
    addPhoneTitle: 'A new user and phone (S1)',
    addPhone: 'Add a phone',
    platformBalance: 'Balance at the platform',
  },
  journal: {
    checkout_idle: 'Checkout idle.',
    checkout_awaiting_tap: 'Terminal waits for a tap of {{amount}}.',
    checkout_reading: 'Terminal reads the phone.',
    checkout_verifying: 'Terminal verifies the signed payment offline.',
    checkout_approved: 'Approved and recorded in the ledger.',
    checkout_declined: 'Declined: {{reason}}',
    checkout_torn: 'Torn tap: the phone left the field; it must tap again.',
    checkout_cancelled: 'The cashier cancelled the sale.',
    sim_changed: '{{phone}}: new SIM (IMSI {{value}}).',
    device_changed: '{{phone}}: moved to another device (IMEI {{value}}).',
    phone_wallet_state: '{{phone}}: wallet is now {{value}}.',
    phone_power_on: '{{phone}}: powered on.',
    phone_power_off: '{{phone}}: powered off.',
    phone_signal_on: '{{phone}}: network signal back.',
    phone_signal_off: '{{phone}}: network signal lost.',
    phone_on_reader: '{{phone}}: held on the reader.',
    phone_off_reader: '{{phone}}: taken off the reader.',
    phone_balance: '{{phone}}: balance now {{amount}}.',
    clock_moved: 'The demo clock moved {{seconds}} s forward.',
    phone_activated:
      '{{phone}}: activated by the platform ({{value}}); certificate issued, {{amount}} loaded and sealed in the phone.',
    unlock_refused: '{{phone}}: unlock refused: details do not match.',
    unlock_rate_limited: '{{phone}}: unlock rate-limited, retry after {{seconds}} s.',
    clone_made: '{{phone}}: wallet copied into a clone (counter {{value}}).',
    clone_paid: 'Clone of {{phone}}: paid {{amount}} at {{value}}, approved offline.',
    clone_declined: 'Clone of {{phone}}: declined at {{value}}: {{reason}}',
    terminal2_settled:
      '{{value}} closed its period and uploaded it: {{accepted}} payment(s) accepted by the platform.',
    platform_confirmed:
      '{{phone}}: synced; the platform holds {{amount}} for this wallet ({{value}}).',
  },
  guide: {
    S1: {
      title: 'Activation',
      patent:
        'The phone sends IMEI, IMSI and the user’s registration details; the platform checks the user, stores the binding, issues the wallet certificate and loads the e-cash; the phone seals activation record, key and e-cash in its secure storage (claims 4, 9, 24).',
      steps: [
        'Type a name under "New user’s name" and press "Add a phone".',
        'The demo registers the user; the new phone sends its IMEI, IMSI and the user’s details to the platform’s activation API.',
        'The new card shows its IMEI, IMSI, wallet id, the state "active" and the e-cash the platform loaded; the journal says so.',
        'The phone is kept: it is still there after a restart of the demo.',
      ],
    },
    S2: {
      title: 'Offline payment',
      patent:
        'The phone taps the terminal; the wallet checks IMEI/IMSI against its activation record, authorizes and signs the payment; the terminal verifies offline and records it; both balances agree (claims 1–3, 5–6, 23).',
      steps: [
        'On the Cashier screen (Alt+1) type an amount and press Enter.',
        'Here, press "Tap on the reader" on a phone.',
        'The cashier screen shows Approved and the receipt marked offline.',
        'The phone’s balance dropped by the amount; its log shows the signed payment.',
      ],
    },
    S3: {
      title: 'Binding mismatch',
      patent:
        'SIM or device swapped: the wallet locks offline payment; the terminal shows why; nothing is charged (claims 2–3, 16–17).',
      steps: [
        'Press "Swap SIM" (or "Swap device") on a phone.',
        'Start a sale on the Cashier screen and press "Tap on the reader".',
        'The sale is declined: the wallet is locked; nothing is charged.',
      ],
    },
    S4: {
      title: 'Wipe after T',
      patent:
        'A wallet locked for longer than T deletes its offline payment data. The money is not lost: the platform still knows the account (claim 25).',
      steps: [
        'Lock a wallet as in S3 (Swap SIM).',
        'Press "Past T" in Time travel.',
        'The wallet state becomes wiped; the account keeps the money at the platform.',
      ],
    },
    S5: {
      title: 'Lost phone',
      patent:
        'The operator reports the phone lost; the binding is registered invalid; the wallet is revoked and put on the hotlist; the platform notifies the phone; terminals decline it (claims 11, 26).',
      steps: [
        'Press "Report lost" on a phone.',
        'Sync the terminal (Settings → Sync now) so its hotlist holds the wallet.',
        'Tap that phone for a sale: declined as revoked; the phone is told to lock.',
      ],
    },
    S6: {
      title: 'Re-activation and migration',
      patent:
        'The user activates a new phone after re-verification; the unspent e-cash moves to it, minus a risk hold released after settlement; the old wallet erases itself when it next hears from the platform or a terminal (claims 26–27).',
      steps: [
        'Press "Re-activate on a new phone" on a phone.',
        'The new wallet holds the unspent e-cash (minus the risk hold).',
        'Tap the old phone: it is declined and erases itself.',
      ],
    },
    S7: {
      title: 'Powered off longer than T1',
      patent:
        'On power-on the wallet is temp-locked; the user asks the platform to unlock with IMEI, IMSI and registration details; the platform verifies and sends a signed unlock (claim 28).',
      steps: [
        'Press "Power off" on a phone, then "Past T1" in Time travel.',
        'Press "Power on": the wallet is temporarily locked; a tap is declined.',
        'Press "Ask to unlock": the platform verifies and unlocks; the next tap is approved.',
      ],
    },
    S8: {
      title: 'No network longer than T2',
      patent:
        'The wallet temp-locks; terminals also refuse it (stale freshness token); after signal returns, unlock as in S7 (claim 29).',
      steps: [
        'Press "Signal off" on a phone, then "Past T2".',
        'Tap for a sale: declined (temporarily locked or stale sync).',
        'Press "Signal on", then "Ask to unlock"; the next tap is approved.',
      ],
    },
    S9: {
      title: 'Unlock verification fails',
      patent:
        'Wrong registration details: no unlock; repeated failures are rate-limited and logged (claim 10).',
      steps: [
        'Temp-lock a wallet as in S7 (Power off, Past T1, Power on).',
        'Press "Unlock with wrong details": the journal says "unlock refused: details do not match"; the wallet stays locked.',
        'Press it again: after 5 failures in 15 minutes the platform answers "rate-limited, retry after N s" (every attempt is in its audit log).',
        'Move the clock 15 minutes, then "Ask to unlock" with the right details unlocks it.',
      ],
    },
    S10: {
      title: 'Settlement',
      patent:
        'At period end the terminal uploads its batch; the platform settles, credits the merchant, updates the user’s e-cash and pushes the new account information to the phone (steps 52–54).',
      steps: [
        'Take a few payments (S2).',
        'On Settlement (Alt+3) press "Close period", then "Upload".',
        'Watch the progress bar, then open the batch’s results: every entry accepted, the merchant credited.',
        'Press "Sync online" on the phone that paid: its card shows the balance at the platform, equal to its own.',
      ],
    },
    S11: {
      title: 'Torn tap',
      patent:
        'Beyond the patent: the phone leaves the field after it signed; the next tap completes the same payment; no double charge.',
      steps: [
        'Start a sale, then press "Pull away mid-tap" (or "Tear the next tap", then "Tap").',
        'The cashier screen says "Tap again".',
        'Press "Tap on the reader": the same payment completes; the balance drops once.',
      ],
    },
    S12: {
      title: 'Cloned wallet',
      patent:
        'Beyond the patent: the same wallet state spent at two terminals: settlement flags the double-spend, revokes the wallet, and the loss stays within the offline limits.',
      steps: [
        'Press "Clone: spend a copy at terminal 2" on a phone: its wallet is copied; the copy pays at DEMO-T2, which settles at once.',
        'Ring up a sale here and press "Tap on the reader" on the original phone: approved offline (nothing can tell yet).',
        'On Settlement (Alt+3) press "Close period", then "Upload": the batch’s results show the double_spend discrepancy; the wallet is revoked.',
        'The loss is one offline payment: within the wallet’s offline limits.',
        'Sync the terminal (Settings → Sync now) and tap the phone again: declined as revoked.',
      ],
    },
    S13: {
      title: 'Void',
      patent:
        'Beyond the patent: a cashier voids an unsettled payment; settlement refunds it to the user’s e-cash.',
      steps: [
        'Take a payment (S2).',
        'On History (Alt+2) open it and press "Void payment", then confirm.',
        'Close the period and upload: the void is refunded to the wallet’s account.',
      ],
    },
  },
  forgeries: {
    title: 'Forged cards',
    intro:
      'A demo phone with its answers tampered at the byte level, or a card that is no wallet: start a sale, tap one, and the terminal must refuse it.',
    forgery: 'Forgery',
    phone: 'Phone behind it',
    firstPhone: 'First phone that can pay',
    tap: 'Tap forged card',
    names: {
      transit_card: 'Transit card (no wallet on it)',
      future_protocol: 'Wallet claiming a newer protocol version',
      blank_wallet: 'Phone with no activated wallet',
      disabled_wallet: 'Wallet claiming to be disabled',
      unknown_issuer: 'Certificate from an unknown issuer',
      certificate_flipped: 'Certificate signature flipped',
      certificate_expired: 'Old, expired certificate',
      foreign_currency: 'Certificate in another currency',
      other_wallet_certificate: "Another wallet's certificate",
      freshness_flipped: 'Freshness token signature flipped',
      freshness_future: 'Freshness token from the future',
      record_flipped: 'Payment record signature flipped',
      echo_previous_sale: 'Replays the record of an earlier sale',
      clone_with_newer_token: "Clone showing the original's newer token",
      truncated_answer: 'Truncated answer',
      refuses_terminal: "Refuses the terminal's certificate",
      heard_suspension: 'Heard the terminal was suspended',
      card_fault: 'Answers with an internal error',
      strict_limit_certificate: 'Certificate allowing at most 1.00 per payment',
    },
  },
} as const;

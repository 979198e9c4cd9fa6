// 简体中文: the demo panel, its journal and the S1–S13 guide (spread into zh-CN.ts).
import type { Resources } from './types';

export const zhCNDemo: Pick<Resources, 'demo' | 'journal' | 'guide'> = {
  demo: {
    title: '演示面板',
    phones: '模拟手机',
    onReader: '在读卡器上',
    walletState: '钱包状态',
    balance: '余额',
    power: '电源',
    signal: '信号',
    on: '开',
    off: '关',
    actionsOf: '{{phone}} 的操作',
    actionOn: '{{action}}（{{phone}}）',
    actions: {
      tap: '在读卡器上碰卡',
      pull_away: '碰卡中途拿开',
      tear_next: '下次碰卡中断',
      swap_sim: '更换 SIM 卡',
      swap_device: '更换手机',
      power_off: '关机',
      power_on: '开机',
      signal_off: '关闭信号',
      signal_on: '恢复信号',
      sync: '联网同步',
      report_lost: '挂失',
      unlock: '申请解锁',
      reactivate: '在新手机上重新开通',
      top_up: '充值',
      unlock_wrong: '用错误信息申请解锁',
      clone_spend: '克隆：在终端 2 花费副本',
    },
    topUpAmount: '充值金额（最小单位）',
    walletStates: {
      active: '正常',
      temp_locked_network: '暂时锁定（离线时间过长）',
      temp_locked_power: '暂时锁定（关机时间过长）',
      disabled: '已被平台停用',
      locked: '已锁定（SIM 卡或手机已更换）',
      wiped: '已清除',
      not_activated: '未开通',
    },
    log_one: '记录（{{count}} 笔支付）',
    log_other: '记录（{{count}} 笔支付）',
    timeTravel: '时间旅行',
    clock: '演示时钟：{{now}}（已前移 {{offset}}）',
    pastTimer: '超过 {{timer}}（{{duration}}）',
    minutes: '分钟',
    travel: '拨动时钟',
    guide: '场景向导',
    scenario: '场景',
    patentSays: '专利所述的过程',
    stepOf: '第 {{step}} / {{of}} 步',
    justHappened: '刚刚发生了什么',
    nothingYet: '尚无事件：请执行一个操作。',
    newUserName: '新用户姓名',
    addPhone: '添加手机',
    platformBalance: '平台上的余额',
  },
  journal: {
    checkout_idle: '收银空闲。',
    checkout_awaiting_tap: '终端等待碰卡支付 {{amount}}。',
    checkout_reading: '终端正在读取手机。',
    checkout_verifying: '终端离线验证签名的支付。',
    checkout_approved: '已批准并记入账本。',
    checkout_declined: '被拒绝：{{reason}}',
    checkout_torn: '碰卡中断：手机离开了感应区，需要再碰一次。',
    checkout_cancelled: '收银员取消了交易。',
    sim_changed: '{{phone}}：更换了 SIM 卡（IMSI {{value}}）。',
    device_changed: '{{phone}}：换到另一部手机（IMEI {{value}}）。',
    phone_wallet_state: '{{phone}}：钱包状态变为 {{value}}。',
    phone_power_on: '{{phone}}：已开机。',
    phone_power_off: '{{phone}}：已关机。',
    phone_signal_on: '{{phone}}：网络信号已恢复。',
    phone_signal_off: '{{phone}}：网络信号丢失。',
    phone_on_reader: '{{phone}}：放在读卡器上。',
    phone_off_reader: '{{phone}}：离开读卡器。',
    phone_balance: '{{phone}}：余额变为 {{amount}}。',
    clock_moved: '演示时钟前移了 {{seconds}} 秒。',
    phone_activated:
      '{{phone}}：平台已开通（{{value}}）；已签发证书，装载 {{amount}} 并加密保存在手机中。',
    unlock_refused: '{{phone}}：解锁被拒绝：信息不匹配。',
    unlock_rate_limited: '{{phone}}：解锁被限速，请 {{seconds}} 秒后重试。',
    clone_made: '{{phone}}：钱包已被复制为克隆（计数器 {{value}}）。',
    clone_paid: '{{phone}} 的克隆：在 {{value}} 支付 {{amount}}，离线批准。',
    clone_declined: '{{phone}} 的克隆：在 {{value}} 被拒绝：{{reason}}',
    terminal2_settled: '{{value}} 已结束结算期并上传：平台接受了 {{accepted}} 笔支付。',
    platform_confirmed: '{{phone}}：已同步；平台上该钱包余额为 {{amount}}（{{value}}）。',
  },
  guide: {
    S1: {
      title: '开通',
      patent:
        '手机发送 IMEI、IMSI 和用户的注册信息；平台核验用户，保存绑定关系，签发钱包证书并装载电子现金；手机将开通记录、密钥和电子现金加密保存在安全存储中（权利要求 4、9、24）。',
      steps: [
        '在 “新用户姓名” 中输入姓名，然后按 “添加手机”。',
        '演示程序注册该用户；新手机将其 IMEI、IMSI 和用户信息发送到平台的开通接口。',
        '新卡片显示 IMEI、IMSI、钱包 ID、状态 “正常” 以及平台装载的电子现金；日志中有相应记录。',
        '该手机会被保留：演示重新启动后仍然存在。',
      ],
    },
    S2: {
      title: '离线支付',
      patent:
        '手机碰终端；钱包将 IMEI/IMSI 与开通记录比对，授权并签名支付；终端离线验证并记录；双方余额一致（权利要求 1–3、5–6、23）。',
      steps: [
        '在收银页面（Alt+1）输入金额并按回车键。',
        '在此页面对一部手机按 “在读卡器上碰卡”。',
        '收银页面显示支付成功，以及标注为离线的收据。',
        '手机余额减少了该金额；其记录中有这笔签名的支付。',
      ],
    },
    S3: {
      title: '绑定不符',
      patent:
        '更换了 SIM 卡或手机：钱包锁定离线支付；终端显示原因；不扣款（权利要求 2–3、16–17）。',
      steps: [
        '在一部手机上按 “更换 SIM 卡”（或 “更换手机”）。',
        '在收银页面开始一笔交易，然后按 “在读卡器上碰卡”。',
        '交易被拒绝：钱包已锁定；未扣款。',
      ],
    },
    S4: {
      title: '超过 T 后清除',
      patent:
        '锁定时间超过 T 的钱包会删除其离线支付数据。资金不会丢失：平台仍保有账户（权利要求 25）。',
      steps: [
        '按 S3 的方法锁定一个钱包（更换 SIM 卡）。',
        '在时间旅行中按 “超过 T”。',
        '钱包状态变为 wiped；资金仍保留在平台账户中。',
      ],
    },
    S5: {
      title: '手机丢失',
      patent:
        '运营方挂失手机；绑定登记为无效；钱包被吊销并列入黑名单；平台通知手机；终端拒绝该钱包（权利要求 11、26）。',
      steps: [
        '在一部手机上按 “挂失”。',
        '同步终端（设置 → 立即同步），使其黑名单包含该钱包。',
        '用这部手机碰卡支付：因已吊销被拒绝；手机被通知锁定。',
      ],
    },
    S6: {
      title: '重新开通与迁移',
      patent:
        '用户重新核验后在新手机上开通；未花费的电子现金转入新手机（扣除结算后释放的风险保留金）；旧钱包下次收到平台或终端的消息时自行清除（权利要求 26–27）。',
      steps: [
        '在一部手机上按 “在新手机上重新开通”。',
        '新钱包持有未花费的电子现金（扣除风险保留金）。',
        '用旧手机碰卡：被拒绝并自行清除。',
      ],
    },
    S7: {
      title: '关机超过 T1',
      patent:
        '开机后钱包暂时锁定；用户凭 IMEI、IMSI 和注册信息向平台申请解锁；平台核验后发送签名的解锁指令（权利要求 28）。',
      steps: [
        '在一部手机上按 “关机”，然后在时间旅行中按 “超过 T1”。',
        '按 “开机”：钱包暂时锁定；碰卡被拒绝。',
        '按 “申请解锁”：平台核验后解锁；下一次碰卡成功。',
      ],
    },
    S8: {
      title: '无网络超过 T2',
      patent: '钱包暂时锁定；终端也会拒绝（同步凭证过期）；信号恢复后按 S7 解锁（权利要求 29）。',
      steps: [
        '在一部手机上按 “关闭信号”，然后按 “超过 T2”。',
        '碰卡支付：被拒绝（暂时锁定或同步过期）。',
        '按 “恢复信号”，再按 “申请解锁”；下一次碰卡成功。',
      ],
    },
    S9: {
      title: '解锁核验失败',
      patent: '注册信息错误：不解锁；多次失败会被限速并记录（权利要求 10）。',
      steps: [
        '按 S7 的方法使钱包暂时锁定（关机、超过 T1、开机）。',
        '按 “用错误信息申请解锁”：日志显示 “解锁被拒绝：信息不匹配”；钱包仍然锁定。',
        '再次按下：15 分钟内失败 5 次后，平台答复 “解锁被限速，请 N 秒后重试”（每次尝试都记入审计日志）。',
        '将时钟拨动 15 分钟后，用正确信息 “申请解锁” 即可解锁。',
      ],
    },
    S10: {
      title: '结算',
      patent:
        '结算期结束时终端上传批次；平台结算，给商户入账，更新用户的电子现金，并将新的账户信息推送到手机（步骤 52–54）。',
      steps: [
        '收取几笔支付（S2）。',
        '在结算页面（Alt+3）按 “结束结算期”，然后按 “上传”。',
        '观察进度条，然后打开批次结果：所有记录均被接受，商户已入账。',
        '在付款的手机上按 “联网同步”：卡片显示平台上的余额，与手机余额一致。',
      ],
    },
    S11: {
      title: '碰卡中断',
      patent: '专利之外：手机签名后离开感应区；下一次碰卡完成同一笔支付；不会重复扣款。',
      steps: [
        '开始一笔交易，然后按 “碰卡中途拿开”（或先按 “下次碰卡中断” 再按 “碰卡”）。',
        '收银页面显示 “请再碰一次”。',
        '按 “在读卡器上碰卡”：同一笔支付完成；余额只减少一次。',
      ],
    },
    S12: {
      title: '克隆钱包',
      patent:
        '专利之外：同一钱包状态在两台终端消费：结算时标记为双重支付，吊销钱包，损失不超过离线限额。',
      steps: [
        '在某部手机上按 “克隆：在终端 2 花费副本”：钱包被复制；副本在 DEMO-T2 支付，DEMO-T2 随即结算。',
        '在本终端收一笔款，并在原手机上按 “在读卡器上碰卡”：离线批准（此时无从察觉）。',
        '在结算页面（Alt+3）按 “结束结算期”，然后按 “上传”：批次结果显示 double_spend 差异；钱包被吊销。',
        '损失仅为一笔离线支付：不超过钱包的离线限额。',
        '同步终端（设置 → 立即同步）后再次碰卡：因已吊销而被拒绝。',
      ],
    },
    S13: {
      title: '撤销',
      patent: '专利之外：收银员撤销一笔未结算的支付；结算时退回到用户的电子现金。',
      steps: [
        '收取一笔支付（S2）。',
        '在交易记录页面（Alt+2）打开它，按 “撤销支付” 并确认。',
        '结束结算期并上传：撤销的金额退回到钱包账户。',
      ],
    },
  },
};

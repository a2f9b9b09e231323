import type { Catalog } from './en.js';

/** The Settings page in Русский (`settings.`), part of `ru` (ru.ts). */
export const ruSettings: Catalog = {
  'settings.adminsOnly':
    'Настройки доступны только администраторам пространства «{workspace}»; ваша роль: {role}.',
  'settings.members': 'Участники',
  'settings.role': 'Роль',
  'settings.lastSignIn': 'Последний вход',
  'settings.roleOf': 'Роль {email}',
  'settings.cannotRemoveSelf': 'Нельзя удалить самого себя',
  'settings.confirmRemove': 'Удалить {email} из «{workspace}»?',
  'settings.remove': 'Удалить',
  'settings.password': 'Пароль (для новых пользователей; пусто — одноразовый пароль)',
  'settings.addMember': 'Добавить участника',
  'settings.added': '{email} добавлен.',
  'settings.oneTime': 'Одноразовый пароль (показывается один раз):',
  'settings.keys': 'Ключи',
  'settings.keysHint':
    'Ключи записи отправляют события с сайтов (они публичны по замыслу); ключи чтения читают JSON API; токены позволяют скриптам вносить изменения с правами редактора или администратора. Хранится только хеш ключа, поэтому ключ показывается один раз.',
  'settings.prefix': 'Префикс',
  'settings.kind': 'Тип',
  'settings.created': 'Создан',
  'settings.lastUsed': 'Последнее использование',
  'settings.revoked': 'Отозван',
  'settings.confirmRevoke': 'Отозвать {prefix}…? Запросы с ним сразу начнут отклоняться.',
  'settings.revoke': 'Отозвать',
  'settings.kind.read': 'чтение',
  'settings.kind.write': 'запись',
  'settings.kind.token': 'токен',
  'settings.kindHint.read': 'чтение (JSON API)',
  'settings.kindHint.write': 'запись (отслеживание)',
  'settings.kindHint.token': 'токен (скрипты)',
  'settings.createKey': 'Создать ключ',
  'settings.newKey': 'Новый ключ ({kind}), показывается один раз — скопируйте его сейчас:',
  'settings.webhooks': 'Вебхуки оповещений',
  'settings.webhooksHint': 'Когда статус задачи меняется, она отправляется (JSON) на каждый из этих URL.',
  'settings.noWebhook': 'Вебхуков пока нет.',
  'settings.url': 'URL',
  'settings.addWebhook': 'Добавить вебхук',
  'settings.rules': 'Правила каналов',
  'settings.rulesHint':
    'Проверяются по порядку до стандартных групп GA4; первое совпавшее правило задаёт канал. Условия совпадают точно (без учёта регистра) или как {regex}. YAML или JSON.',
  'settings.rulesField': 'Правила',
  'settings.saveRules': 'Сохранить правила',
  'settings.line': 'строка {line}:',
  'settings.rulesSaved':
    'Сохранено: данные, отслеживаемые или импортируемые с этого момента, группируются по этим правилам.',
};

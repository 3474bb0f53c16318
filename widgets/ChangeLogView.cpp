#include "ChangeLogView.h"

#include <QAbstractTableModel>
#include <QDateTime>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QPushButton>
#include <QTableView>
#include <QVBoxLayout>

#include "foundation/Settings.h"

namespace stdp::gui {

class ChangeLogModel : public QAbstractTableModel {
  public:
    explicit ChangeLogModel(const ChangeLog* log, QObject* parent)
        : QAbstractTableModel(parent), log_(log) {}

    enum Column { Time, Images, Setting, Change, Origin, kColumns };

    int rowCount(const QModelIndex& parent = {}) const override {
        return parent.isValid() ? 0 : static_cast<int>(shown_);
    }
    int columnCount(const QModelIndex& parent = {}) const override {
        return parent.isValid() ? 0 : kColumns;
    }
    QVariant headerData(int section, Qt::Orientation o, int role) const override {
        if (o != Qt::Horizontal || role != Qt::DisplayRole)
            return {};
        switch (section) {
            case Time:
                return tr("time");
            case Images:
                return tr("images seen");
            case Setting:
                return tr("setting");
            case Change:
                return tr("old → new");
            case Origin:
                return tr("by");
        }
        return {};
    }
    QVariant data(const QModelIndex& index, int role) const override {
        if (!index.isValid() || static_cast<std::size_t>(index.row()) >= shown_)
            return {};
        const ChangeLogEntry& e = log_->entries()[static_cast<std::size_t>(index.row())];
        if (role == Qt::ToolTipRole)
            return tr("%1 UTC, step %2 of the session")
                .arg(QString::fromStdString(ChangeLog::wallTimeText(e.wall_ms)))
                .arg(e.steps);
        if (role != Qt::DisplayRole)
            return {};
        switch (index.column()) {
            case Time:
                return QDateTime::fromMSecsSinceEpoch(e.wall_ms).toString(
                    QStringLiteral("HH:mm:ss"));
            case Images:
                return QString::number(e.images);
            case Setting:
                return QString::fromStdString(e.setting);
            case Change:
                return QStringLiteral("%1 → %2").arg(
                    QString::fromStdString(ChangeLog::valueText(e.setting, e.old_value)),
                    QString::fromStdString(ChangeLog::valueText(e.setting, e.new_value)));
            case Origin:
                return QLatin1String(changeOriginName(e.origin));
        }
        return {};
    }
    void sync() {
        const std::size_t n = log_->size();
        if (n < shown_) {
            beginResetModel();
            shown_ = n;
            endResetModel();
        } else if (n > shown_) {
            beginInsertRows({}, static_cast<int>(shown_), static_cast<int>(n) - 1);
            shown_ = n;
            endInsertRows();
        }
    }

  private:
    const ChangeLog* log_;
    std::size_t shown_ = 0;
};

ChangeLogView::ChangeLogView(const ChangeLog* log, QWidget* parent)
    : QWidget(parent), log_(log), model_(new ChangeLogModel(log, this)), table_(new QTableView) {
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    table_->setModel(model_);
    table_->verticalHeader()->hide();
    // Every column as wide as its contents, the change (the only long text) taking what is left:
    // stretching the last column ("by") squeezed the time to "11…" in a narrow dock.
    QHeaderView* header = table_->horizontalHeader();
    header->setSectionResizeMode(QHeaderView::ResizeToContents);
    header->setSectionResizeMode(ChangeLogModel::Change, QHeaderView::Stretch);
    table_->setSelectionBehavior(QAbstractItemView::SelectRows);
    table_->setEditTriggers(QAbstractItemView::NoEditTriggers);
    empty_ =
        new QLabel(tr("No live changes yet. Every edit of a parameter (and its undo, redo "
                      "or restore) is listed here with the images seen at that moment."));
    empty_->setWordWrap(true);
    auto* row = new QHBoxLayout;
    row->addWidget(empty_, 1);
    row->addStretch(0);
    auto* save = new QPushButton(tr("Export CSV…"));
    save->setToolTip(
        tr("The log as CSV: UTC time, images, steps, setting, exact old and new "
           "values, origin."));
    row->addWidget(save, 0, Qt::AlignTop);
    layout->addLayout(row);
    layout->addWidget(table_, 1);
    connect(save, &QPushButton::clicked, this, &ChangeLogView::exportRequested);
    refresh();
}

ChangeLogView::~ChangeLogView() = default;

void ChangeLogView::refresh() {
    model_->sync();
    empty_->setVisible(log_->size() == 0);
    if (log_->size() > 0)
        table_->scrollToBottom();
    if (isVisible())
        fitColumns();
}

void ChangeLogView::showEvent(QShowEvent* event) {
    QWidget::showEvent(event);
    fitColumns();
}

void ChangeLogView::fitColumns() {
    table_->resizeColumnsToContents();
    // Measuring sets every section's width, the stretched one's too: stretch it again.
    table_->horizontalHeader()->setSectionResizeMode(ChangeLogModel::Change, QHeaderView::Stretch);
}

int ChangeLogView::rowCount() const {
    return model_->rowCount();
}

QString ChangeLogView::csv() const {
    return QString::fromStdString(log_->csv());
}

}  // namespace stdp::gui

#include "Presenter.h"

#include <QtConcurrent>

namespace stdp::studio {

Presenter::Presenter(QObject* parent) : QObject(parent) {
    connect(&watcher_, &QFutureWatcher<Result>::finished, this, [this] {
        const Result r = watcher_.result();
        if (running_request_ != request_)
            return;  // a newer request replaced it
        if (!r.error.isEmpty())
            emit failed(r.error);
        else
            emit responded(r.response, fields_);
    });
}

Presenter::~Presenter() {
    watcher_.waitForFinished();
}

void Presenter::present(const Image& image, const SnapshotPtr& snapshot) {
    if (!snapshot || !snapshot->fields)
        return;
    ++request_;
    if (watcher_.isRunning())
        watcher_.waitForFinished();  // one at a time; a drawing answers in milliseconds
    running_request_ = request_;
    fields_ = snapshot->fields;
    const Settings settings = snapshot->settings;
    auto fields = snapshot->fields;
    watcher_.setFuture(QtConcurrent::run([image, settings, fields]() -> Result {
        try {
            const RepresentationLayer layer =
                frozenLayer(settings, fields->weights, fields->thresholds);
            return {std::make_shared<const ImageResponse>(
                        respondToImage(layer, settings, image, seedFor(settings))),
                    {}};
        } catch (const std::exception& e) {
            return {nullptr, QString::fromStdString(e.what())};
        }
    }));
}

}  // namespace stdp::studio
